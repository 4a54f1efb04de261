// Portrait viewer: French first. Talks only to this service's JSON and GeoJSON routes.
"use strict";
const $ = (id) => document.getElementById(id);
const fmt = (v, d = 0) => v == null ? "—" : Number(v).toLocaleString("fr-CA", { maximumFractionDigits: d });
const PALETTE = ["#d7191c", "#fdae61", "#ffffbf", "#abd9e9", "#2c7bb6"];
const COAST = { littoral: "#0571b0", interieur: "#f4a582" };
const TABLES = ["#f7f7f7", "#dadaeb", "#bcbddc", "#9e9ac8", "#6a51a3"];
let map, layer, contextLayer, servicesLayer, gapsLayer, indicators = [], symbols = {}, fallback = [], categories = [];

async function get(url) {
  const r = await fetch(url);
  if (!r.ok) throw new Error((await r.json()).message || r.statusText);
  return r.json();
}

function territoryQuery() {
  const mrc = $("mrc").value;
  return mrc ? "mrc=" + mrc : "region=" + $("region").value;
}

function quintiles(values) {
  const v = values.filter((x) => x != null).sort((a, b) => a - b);
  if (!v.length) return [];
  return [1, 2, 3, 4, 5].map((k) => {
    const pos = (k / 5) * (v.length - 1), i = Math.floor(pos);
    return i >= v.length - 1 ? v[v.length - 1] : v[i] + (v[i + 1] - v[i]) * (pos - i);
  });
}

function esc(t) { return String(t).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;"); }

let legendRows = [], legendTitle = "";
function legend(title, rows) { legendTitle = title; legendRows = rows; renderLegend([]); }
function renderLegend(extra) {
  const context = [{ color: "#deebf7", label: "Eau (TNO aquatique)" }, { color: "#e0e0e0", label: "Autres régions" }];
  $("legende").innerHTML = "<h3>" + esc(legendTitle) + "</h3>" + legendRows.concat(extra, context).map((r) =>
    '<div class="ligne">' + (r.symbol ? symbolSVG(r.symbol, 6) : '<span class="case ' + (r.hatch ? "hachure" : "") + '" style="background:' + (r.color || "") + '"></span>') +
    esc(r.label) + "</div>").join("");
}

// The same symbols as the SVG maps: the services style's categories, its fallback colours for the others.
function symbolOf(category) {
  if (symbols[category]) return symbols[category];
  const others = categories.filter((c) => !symbols[c]).sort(), i = Math.max(0, others.indexOf(category));
  const shapes = ["circle", "square", "triangle", "diamond"];
  return { color: fallback[i % fallback.length] || "#666", shape: shapes[(Math.floor(i / Math.max(1, fallback.length)) + 1) % 4], label: { fr: category } };
}
function symbolSVG(sym, r) {
  const d = { circle: `<circle cx="${r}" cy="${r}" r="${r - 1}"/>`, square: `<rect x="1.5" y="1.5" width="${2 * r - 3}" height="${2 * r - 3}"/>`,
    triangle: `<path d="M${r} 1L${2 * r - 1} ${2 * r - 1}H1z"/>`, diamond: `<path d="M${r} 0L${2 * r} ${r}L${r} ${2 * r}L0 ${r}z"/>` }[sym.shape] || "";
  return `<svg width="${2 * r}" height="${2 * r}" viewBox="0 0 ${2 * r} ${2 * r}" style="flex:none"><g fill="${sym.color}" stroke="#fff">${d}</g></svg>`;
}

async function context() {
  if (contextLayer) contextLayer.remove();
  const c = await get("/geojson/context?" + territoryQuery());
  contextLayer = L.geoJSON(c, {
    style: (f) => f.properties.kind === "region" ? { color: "#bdbdbd", weight: 0.8, fillColor: "#e0e0e0", fillOpacity: 0.6 }
      : f.properties.kind === "eau" ? { color: "#9ecae1", weight: 0.5, fillColor: "#deebf7", fillOpacity: 1 }
      : { color: "#2171b5", weight: 1 },
    pointToLayer: (f, ll) => L.circleMarker(ll, { radius: 2.5, color: "#222", weight: 1, fillOpacity: 1 })
      .bindTooltip(f.properties.name, { permanent: true, direction: "right", className: "ville" }),
    interactive: false,
  }).addTo(map);
  contextLayer.bringToBack();
}

async function draw() {
  const q = territoryQuery();
  const choice = $("indicateur").value;
  const fc = await get("/geojson/municipalities?" + q);
  if (layer) layer.remove();
  let style, rows;
  if (choice === "mobilisations") {
    const m = await get("/geojson/mobilisations?" + q);
    const count = {};
    m.features.filter((f) => f.properties.kind === "couverture").forEach((f) => { count[f.properties.code] = f.properties.table_count; });
    fc.features.forEach((f) => { f.properties.table_count = count[f.properties.code] ?? 0; });
    style = (f) => ({ fillColor: TABLES[Math.min(4, f.properties.table_count)], color: "#fff", weight: 0.6, fillOpacity: 0.9 });
    rows = TABLES.map((c, i) => ({ color: c, label: i === 0 ? "Aucune table" : i === 4 ? "4 tables ou plus" : i + " table" + (i > 1 ? "s" : "") }));
  } else if (choice === "littoral") {
    style = (f) => ({ fillColor: COAST[f.properties.class] || "#fff", color: "#fff", weight: 0.6, fillOpacity: 0.85 });
    rows = [{ color: COAST.littoral, label: "Littoral" }, { color: COAST.interieur, label: "Intérieur" }];
  } else {
    const values = fc.features.map((f) => f.properties[choice]);
    const breaks = quintiles(values);
    const cls = (v) => breaks.findIndex((b) => v <= b);
    style = (f) => {
      const v = f.properties[choice];
      return v == null ? { fillColor: "#fff", color: "#999", weight: 0.6, fillOpacity: 0.6, dashArray: "2" }
        : { fillColor: PALETTE[Math.max(0, cls(v))], color: "#fff", weight: 0.6, fillOpacity: 0.85 };
    };
    rows = breaks.map((b, i) => ({ color: PALETTE[i], label: (i ? "plus de " + fmt(breaks[i - 1], 1) + " à " : "jusqu'à ") + fmt(b, 1) }));
    rows.push({ hatch: true, label: "Sans donnée" });
  }
  const label = choice === "littoral" ? "Littoral et intérieur" : choice === "mobilisations" ? "Tables de concertation" : (indicators.find((d) => d.definition.name === choice) || {}).definition?.label_fr || choice;
  legend(label, rows);
  layer = L.geoJSON(fc, { style, onEachFeature: (f, l) => l.on("click", () => card(f.properties)) }).addTo(map);
  map.fitBounds(layer.getBounds());
  await context();
  $("titre").textContent = label + " — " + ($("mrc").selectedOptions[0]?.value ? $("mrc").selectedOptions[0].text : $("region").selectedOptions[0].text);
  const level = $("mrc").value ? "mrc" : "region", code = $("mrc").value || $("region").value;
  const style_ = choice === "littoral" || choice === "mobilisations" ? choice : choice === "population" ? "population" : choice === "ive" ? "vitalite"
    : choice.startsWith("defavorisation") ? "defavorisation" : "population";
  const indicatorParam = choice === "littoral" || choice === "mobilisations" ? "" : "&indicator=" + choice;
  $("liens").innerHTML = '<a id="rapport" href="/portrait/' + level + "/" + code + '?format=html">Rapport</a> (<a href="/portrait/' + level + "/" + code + '?format=pdf">PDF</a>) · ' +
    '<a href="/maps/' + level + "/" + code + ".svg?style=" + style_ + indicatorParam + '" download>SVG</a> · ' +
    '<a href="/geojson/municipalities?' + q + '" download="municipalites.geojson">GeoJSON</a>';
  await overlays();
}

function card(p) {
  const skip = new Set(["label", "designation", "region_code"]);
  $("fiche").innerHTML = "<h3>" + p.name + " (" + p.code + ")</h3><table>" + Object.entries(p).filter(([k]) => !skip.has(k))
    .map(([k, v]) => "<tr><td>" + k + "</td><td>" + (typeof v === "number" ? fmt(v, 2) : v ?? "—") + "</td></tr>").join("") + "</table>";
}

async function overlays() {
  if (servicesLayer) { servicesLayer.remove(); servicesLayer = null; }
  if (gapsLayer) { gapsLayer.remove(); gapsLayer = null; }
  const extra = [];
  const cat = $("categorie").value, km = Math.max(1, Number($("rayon").value) || 15);
  if (cat) {
    const g = await get("/geojson/gaps?" + territoryQuery() + "&category=" + encodeURIComponent(cat) + "&max_km=" + km);
    gapsLayer = L.geoJSON(g, { style: (f) => f.properties.kind === "zone_sans_service"
      ? { color: "#7a0177", weight: 1, fillColor: "#7a0177", fillOpacity: 0.18 } : { color: "#d7301f", weight: 2.5, fill: false } }).addTo(map);
    extra.push({ color: "rgba(122,1,119,.3)", label: "Hors de " + km + " km de tout service « " + (symbolOf(cat).label.fr || cat) + " »" });
    extra.push({ color: "#fff", label: "Contour rouge : municipalité à plus de " + km + " km (" + g.features.filter((f) => f.properties.kind !== "zone_sans_service").length + ")" });
  }
  if ($("services").checked || cat) {
    const s = await get("/services?" + territoryQuery());
    const shown = s.features.filter((f) => $("services").checked || f.properties.category === cat);
    servicesLayer = L.geoJSON({ type: "FeatureCollection", features: shown }, { pointToLayer: (f, ll) => {
      const sym = symbolOf(f.properties.category);
      return L.marker(ll, { icon: L.divIcon({ html: symbolSVG(sym, 5), className: "symbole", iconSize: [10, 10] }) })
        .bindTooltip(f.properties.name + " (" + (sym.label.fr || f.properties.category) + ")");
    } }).addTo(map);
    const byCat = {};
    shown.forEach((f) => { byCat[f.properties.category] = (byCat[f.properties.category] || 0) + 1; });
    Object.keys(byCat).sort().forEach((c) => extra.push({ symbol: symbolOf(c), label: (symbolOf(c).label.fr || c) + " (" + byCat[c] + ")" }));
  }
  renderLegend(extra);
}

async function loadMRC() {
  const list = await get("/regions/" + $("region").value + "/mrc");
  $("mrc").innerHTML = '<option value="">(toute la région)</option>' + list.map((m) => '<option value="' + m.code + '">' + m.name + "</option>").join("");
}

async function start() {
  if (typeof L === "undefined") {
    $("titre").textContent = "Leaflet est absent : installez le paquet Debian libjs-leaflet.";
    return;
  }
  map = L.map("carte");
  const health = await get("/health");
  if (health.basemap) L.tileLayer(health.basemap, { maxZoom: 18, attribution: "fond de carte : " + new URL(health.basemap.replace(/[{}]/g, "")).host }).addTo(map);
  const servicesStyle = await get("/styles/services.json");
  symbols = servicesStyle.categories || {};
  fallback = servicesStyle.fallback || [];
  $("avertissement").hidden = !health.demo;
  const regions = await get("/regions");
  $("region").innerHTML = regions.map((r) => '<option value="' + r.code + '">' + r.name + "</option>").join("");
  indicators = await get("/indicators");
  $("indicateur").innerHTML = '<option value="littoral">Littoral et intérieur</option>' +
    indicators.map((d) => '<option value="' + d.definition.name + '">' + esc(d.definition.label_fr) + "</option>").join("") +
    '<option value="mobilisations">Tables de concertation</option>';
  categories = [...new Set((await get("/services?" + "region=" + regions[0].code)).features.map((f) => f.properties.category))].sort();
  $("categorie").innerHTML += categories.map((c) => '<option value="' + esc(c) + '">' + esc(symbolOf(c).label.fr || c) + "</option>").join("");
  await loadMRC();
  $("region").onchange = async () => { await loadMRC(); await draw(); };
  $("mrc").onchange = draw;
  $("indicateur").onchange = draw;
  $("services").onchange = overlays;
  $("categorie").onchange = overlays;
  $("rayon").onchange = overlays;
  await draw();
  document.body.dataset.ready = "oui";
}

start().catch((e) => { $("titre").textContent = "Erreur : " + e.message; document.body.dataset.ready = "erreur"; });
