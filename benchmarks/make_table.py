"""Writes a SYNTHETIC wide indicator table of ROWS rows for benchmarks/tables.sh: the 128 rows of the real
2021 BSL census cycled with codes 00001, 00002, … (unique), as a Quebec agency's spreadsheet saves it:
Windows-1252, semicolons, CRLF, decimal commas, spaced thousands, two title rows above, a note below.

Usage: python make_table.py CENSUS.csv OUT.csv ROWS
"""
import csv, sys

src, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
rows = list(csv.reader(open(src, encoding='utf-8')))
header, body = rows[0], rows[1:]

def num(s):
    if s == '':
        return ''
    whole, _, frac = s.partition('.')
    neg = whole.startswith('-')
    whole = whole.lstrip('-')
    g = ''
    for i, c in enumerate(reversed(whole)):
        if i and i % 3 == 0:
            g += ' '
        g += c
    return ('-' if neg else '') + g[::-1] + (',' + frac if frac else '')

with open(out, 'w', encoding='cp1252', newline='') as f:
    f.write('Tableau 1 – Profil SYNTHÉTIQUE de subdivisions, pour les mesures\r\n')
    f.write('Source : recensement 2021 de Statistique Canada, lignes répétées (SYNTHÉTIQUE)\r\n')
    f.write(';'.join(header) + '\r\n')
    for i in range(n):
        r = list(body[i % len(body)])
        r[0] = '%05d' % (i % 99999 + 1)   # past 99,999 rows the codes repeat (duplicates)
        r[1] = '"' + r[1] + '"'
        f.write(';'.join(r[:3] + [num(c) for c in r[3:]]) + '\r\n')
    f.write('\r\nNote : valeurs SYNTHÉTIQUES.\r\n')
