// Portrait viewer: French first. Talks only to this service's JSON and GeoJSON routes.
"use strict";
const $ = (id) => document.getElementById(id);
const fmt = (v, d = 0) => v == null ? "—" : Number(v).toLocaleString("fr-CA", { maximumFractionDigits: d });
let map, layer, circlesLayer, contextLayer, servicesLayer, gapsLayer, indicators = [], symbols = {}, fallback = [], categories = [];
// The road network imported (« SOURCE, millésime »), or null: the gaps are then in minutes by road, else in km as the crow flies.
let roads = null;

async function get(url) {
  const r = await fetch(url);
  if (!r.ok) throw new Error((await r.json()).message || r.statusText);
  return r.json();
}

function territoryQuery() {
  const perso = $("perso").value, mrc = $("mrc").value;
  return perso ? "territory=" + encodeURIComponent(perso) : mrc ? "mrc=" + encodeURIComponent(mrc) : "region=" + encodeURIComponent($("region").value);
}

// The territory's path in /portrait/… and /maps/…: region/01, mrc/10, custom/ID.
function territoryPath() {
  const perso = $("perso").value, mrc = $("mrc").value;
  return perso ? "custom/" + encodeURIComponent(perso) : mrc ? "mrc/" + encodeURIComponent(mrc) : "region/" + encodeURIComponent($("region").value);
}

// The view in the URL (territory, map, services, category, radius, reference, open fiche): bookmarkable,
// restored by back and forward.
let fiche = "", restoring = false;
function viewQuery() {
  const q = new URLSearchParams();
  q.set("region", $("region").value);
  if ($("mrc").value) q.set("mrc", $("mrc").value);
  if ($("perso").value) q.set("territory", $("perso").value);
  q.set("map", $("indicateur").value);
  if ($("services").checked) q.set("services", "1");
  if ($("categorie").value) q.set("category", $("categorie").value);
  if (Number($("rayon").value) !== (roads ? 20 : 15)) q.set("km", $("rayon").value);
  if ($("reference").value) q.set("reference", $("reference").value);
  if (fiche) q.set("municipality", fiche);
  if (tab === "plans") { q.set("tab", "plans"); if ($("plan").value) q.set("plan", $("plan").value); }
  return "?" + q.toString();
}
function remember() {
  if (restoring) return;
  const q = viewQuery();
  if (q !== location.search) history.pushState(null, "", q);
}
function setSelect(id, value) {
  const el = $(id);
  if (value != null && [...el.options].some((o) => o.value === value)) el.value = value;
}

// Everything the viewer shows from the server (names, labels, codes, units) is set as text (`textContent`, text
// nodes) or as an attribute (`setAttribute`), never parsed as markup: a name carrying `<img onerror=…>` stays text.
const SVGNS = "http://www.w3.org/2000/svg";
function el(tag, attrs, ...children) {
  const e = tag.startsWith("svg:") ? document.createElementNS(SVGNS, tag.slice(4)) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v != null && v !== false) e.setAttribute(k, v === true ? "" : String(v));
  for (const c of children.flat(Infinity)) if (c != null && c !== false) e.append(c instanceof Node ? c : String(c));
  return e;
}
// Replaces the children of element `id`.
function fill(id, ...children) { const e = $(id); e.replaceChildren(...children.flat(Infinity).filter((c) => c != null && c !== false)); return e; }
function option(value, text, attrs) { return el("option", Object.assign({ value }, attrs || {}), text); }
// A colour from the server's styles, or a neutral grey: only colour syntax reaches a style or a fill.
function colour(c) { return /^(#[0-9a-fA-F]{3,8}|rgba?\([0-9., ]+\)|[a-z]{3,20})$/.test(String(c || "")) ? String(c) : "#666"; }

let legendRows = [], legendTitle = "";
function legend(title, rows) { legendTitle = title; legendRows = rows; renderLegend([]); }
function renderLegend(extra) {
  const context = [{ color: "#e0e0e0", label: "Autres régions" }];
  fill("legende", el("h3", {}, legendTitle), legendRows.concat(extra, context).map((r) => {
    // A note (what was measured) has no swatch.
    if (r.note) return el("p", { class: "note" }, r.label);
    let mark;
    if (r.symbol) mark = symbolSVG(r.symbol, 6);
    else if (r.circle) mark = circleSVG(r.circle, r.color);
    else { mark = el("span", { class: "case " + (r.hatch ? "hachure" : "") }); mark.style.background = colour(r.color); }
    return el("div", { class: "ligne" }, mark, r.label);
  }), legendRows.concat(extra).some((r) => /\(\d+\)$/.test(r.label || "")) ? el("p", { class: "note" }, "Entre parenthèses : nombre d'unités (municipalités, TNO et réserves)") : null);
}

// The same symbols as the SVG maps: the services style's categories, its fallback colours for the others.
function symbolOf(category) {
  if (symbols[category]) return symbols[category];
  const others = categories.filter((c) => !symbols[c]).sort(), i = Math.max(0, others.indexOf(category));
  const shapes = ["circle", "square", "triangle", "diamond"];
  return { color: fallback[i % fallback.length] || "#666", shape: shapes[(Math.floor(i / Math.max(1, fallback.length)) + 1) % 4], label: { fr: category } };
}
function circleSVG(r, color) {
  const d = Math.ceil(2 * Number(r) + 2);
  const svg = el("svg:svg", { width: d, height: d, viewBox: `0 0 ${d} ${d}`, "aria-hidden": "true", class: "marque" },
    el("svg:circle", { cx: d / 2, cy: d / 2, r: Number(r), fill: colour(color), "fill-opacity": 0.72, stroke: "#fff" }));
  return svg;
}
function symbolSVG(sym, r) {
  const shape = { circle: ["svg:circle", { cx: r, cy: r, r: r - 1 }], square: ["svg:rect", { x: 1.5, y: 1.5, width: 2 * r - 3, height: 2 * r - 3 }],
    triangle: ["svg:path", { d: `M${r} 1L${2 * r - 1} ${2 * r - 1}H1z` }], diamond: ["svg:path", { d: `M${r} 0L${2 * r} ${r}L${r} ${2 * r}L0 ${r}z` }] }[sym.shape];
  return el("svg:svg", { width: 2 * r, height: 2 * r, viewBox: `0 0 ${2 * r} ${2 * r}`, class: "marque" },
    el("svg:g", { fill: colour(sym.color), stroke: "#fff" }, shape ? el(shape[0], shape[1]) : null));
}
// A tooltip's content as text (Leaflet parses a string tooltip as HTML).
function tip(text) { return el("span", {}, text); }

async function context() {
  if (contextLayer) contextLayer.remove();
  const c = await get("/geojson/context?" + territoryQuery());
  contextLayer = L.geoJSON(c, {
    style: (f) => f.properties.kind === "region" ? { color: "#bdbdbd", weight: 0.8, fillColor: "#e0e0e0", fillOpacity: 0.6 }
      : f.properties.kind === "eau" ? { color: "#9ecae1", weight: 0.5, fillColor: "#deebf7", fillOpacity: 1 }
      : { color: "#2171b5", weight: 1 },
    pointToLayer: (f, ll) => L.circleMarker(ll, { radius: 2.5, color: "#222", weight: 1, fillOpacity: 1 })
      .bindTooltip(tip(f.properties.name), { permanent: true, direction: "right", className: "ville" }),
    interactive: false,
  }).addTo(map);
  contextLayer.bringToBack();
}

async function draw() {
  const q = territoryQuery();
  const choice = $("indicateur").value;
  const path = territoryPath();
  // The server says which style maps each indicator (the reports' rule), and gives the map's classes, colours
  // and circles as its SVG has them (/maps/…json): the viewer draws them, it never classifies on its own.
  const style_ = choice === "littoral" || choice === "mobilisations" ? choice
    : (indicators.find((d) => d.definition.name === choice) || {}).style || "taux";
  const indicatorParam = choice === "littoral" || choice === "mobilisations" ? "" : "&indicator=" + encodeURIComponent(choice);
  const [fc, key] = await Promise.all([get("/geojson/municipalities?" + q), get("/maps/" + path + ".json?style=" + style_ + indicatorParam)]);
  if (layer) layer.remove();
  if (circlesLayer) { circlesLayer.remove(); circlesLayer = null; }
  const byCode = {};
  key.units.forEach((u) => { byCode[u.code] = u; });
  const style = (f) => {
    const u = byCode[f.properties.code];
    if (!u) return { fillColor: "#fff", color: "#999", weight: 0.6, fillOpacity: 0.6 };
    return u.hatch === "sans-donnee" || u.hatch === "confidentiel"
      ? { fillColor: u.color, color: "#777", weight: 0.8, fillOpacity: 0.7, dashArray: u.hatch === "confidentiel" ? "1 3" : "3" }
      : { fillColor: u.color, color: "#fff", weight: 0.6, fillOpacity: 0.85 };
  };
  let rows = key.rows.map((r) => ({ color: r.color, hatch: !!r.hatch, label: r.label + (r.count != null ? " (" + r.count + ")" : "") }));
  if (key.symbol === "circles") {
    // A count: proportional circles over the pale base, area proportional to the value, largest behind.
    const fill = key.circle_color || "#08519c", largest = 30;
    circlesLayer = L.layerGroup(key.circles.filter((c) => c.lat != null).map((c) =>
      L.circleMarker([c.lat, c.lon], { radius: largest * c.radius_share, color: "#fff", weight: 0.8, fillColor: fill, fillOpacity: 0.72, interactive: false })
        .bindTooltip(tip((byCode[c.code] || {}).name + " : " + fmt(c.value)))));
    rows = key.legend_circles.map((c) => ({ circle: largest * c.radius_share, color: fill, label: fmt(c.value) })).concat(rows);
  }
  legend(key.legend_title || key.title, rows);
  $("carte-description").textContent = key.description;
  layer = L.geoJSON(fc, { style, onEachFeature: (f, l) => l.on("click", () => card(f.properties)) }).addTo(map);
  if (circlesLayer) circlesLayer.addTo(map);
  map.fitBounds(layer.getBounds());
  // Each municipality's path (drawn once the map has a view) carries its code and name, and opens its fiche from
  // the keyboard too (Tab to it, Enter or Space).
  layer.eachLayer((l) => {
    const el = l.getElement && l.getElement();
    if (!el) return;
    const p = l.feature.properties;
    el.setAttribute("data-code", p.code);
    el.setAttribute("role", "button");
    el.setAttribute("tabindex", "0");
    el.setAttribute("aria-label", p.name + " (" + p.code + ") : ouvrir la fiche");
    el.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); card(p); } });
  });
  // The list alternative to the map: every municipality as a button.
  const names = fc.features.map((f) => f.properties).sort((a, b) => a.name.localeCompare(b.name, "fr"));
  fill("liste", names.map((p) => {
    const b = el("button", { type: "button", "data-code": p.code }, p.name);
    b.addEventListener("click", () => card(p));
    return el("li", {}, b);
  }));
  await context();
  $("titre").textContent = key.title;
  const ref = $("reference").value ? "&reference=" + encodeURIComponent($("reference").value) : "";
  fill("liens", el("a", { id: "rapport", href: "/portrait/" + path + "?format=html" + ref }, "Rapport"), " (",
    el("a", { href: "/portrait/" + path + "?format=pdf" + ref }, "PDF"), ") · ",
    el("a", { href: "/maps/" + path + ".svg?style=" + encodeURIComponent(style_) + indicatorParam, download: true }, "SVG"), " · ",
    el("a", { href: "/geojson/municipalities?" + q, download: "municipalites.geojson" }, "GeoJSON"), " · ",
    el("a", { href: "/portrait/" + path + "?format=xlsx" + ref, download: true }, "Tableaux XLSX"), " · ",
    el("a", { href: "/portrait/" + path + "?format=csv&table=municipalites" + ref, download: true }, "CSV"), " · ",
    el("a", { href: "/portrait/" + path + "?format=gpkg", download: true }, "GeoPackage (QGIS)"));
  await overlays();
}

// The municipality's fiche in the panel: its figures beside its MRC and region (or the reference chosen),
// ranks, nearest services, and links to its HTML and PDF fiche.
async function card(p) {
  fiche = p.code;
  if (tab !== "fiche") showTab("fiche", false);
  remember();
  const ref = $("reference").value ? "&reference=" + encodeURIComponent($("reference").value) : "";
  fill("fiche", el("h3", {}, p.name + " (" + p.code + ")"), el("p", {}, "Chargement de la fiche…"));
  let r;
  try { r = await get("/portrait/municipality/" + encodeURIComponent(p.code) + "?format=json" + ref); } catch (e) {
    fill("fiche", el("h3", {}, p.name + " (" + p.code + ")"), el("p", {}, "Fiche indisponible : " + e.message));
    return;
  }
  if (fiche !== p.code) return;   // another municipality was opened meanwhile
  const c = r.comparison || { references: [], figures: [] };
  const val = (f, v) => v == null ? "—" : f.unit === "share" ? fmt(v * 100, 1) + " %" : fmt(v, Math.abs(v) >= 100 ? 0 : 1) + (f.unit === "$" ? " $" : f.unit === "%" ? " %" : "");
  const head = el("tr", {}, el("th", { scope: "col" }, "Indicateur"), el("th", { scope: "col" }, r.territory.name),
    c.references.map((t) => el("th", { scope: "col" }, t.name)), el("th", { scope: "col" }, "Rang"));
  const rows = c.figures.map((f) => el("tr", {}, el("td", {}, f.label + ((f.year || f.vintage) ? " (" + (f.year || f.vintage) + ")" : "")), el("td", {}, val(f, f.value)),
    f.references.map((x) => el("td", {}, val(f, x.value))), el("td", {}, f.rank ? f.rank.rank + " / " + f.rank.of : (f.value != null && /Hors classement|Not ranked/.test(f.sentence || "") ? "hors classement" : "—"))));
  const near = (r.services || []).filter((s) => s.nearest).map((s) => s.road && s.nearest.minutes != null
    ? el("li", {}, s.label + " : " + s.nearest.name + ", " + fmt(s.nearest.minutes, 1) + " min par la route (" + fmt(s.nearest.km, 1) + " km à vol d'oiseau)",
      s.nearest.in_gap ? [" ", el("strong", {}, "(lacune, au-delà de " + fmt(s.road.max_minutes) + " min)")] : null)
    : el("li", {}, s.label + " : " + s.nearest.name + ", " + fmt(s.nearest.km, 1) + " km à vol d'oiseau",
      s.nearest.in_gap ? [" ", el("strong", {}, "(lacune, au-delà de " + fmt(s.max_km) + " km)")] : null));
  const measure = (r.services || []).find((s) => s.road)?.road.network;
  const tables = (r.mobilisations?.tables || []).map((t) => el("li", {}, t.name));
  const u = r.unit || {};
  const code = encodeURIComponent(r.territory.code);
  fill("fiche", el("h3", { id: "fiche-titre" }, r.territory.name + " (" + r.territory.code + ")"),
    el("p", {}, [u.designation, u.class === "littoral" ? "littoral" : u.class === "interieur" ? "intérieur" : null, u.mrc ? "MRC " + u.mrc.name : null]
      .filter(Boolean).join(" · ")),
    c.figures[0]?.sentence ? el("p", { class: "phrase" }, c.figures[0].sentence) : null,
    el("table", { class: "comparaison" }, head, rows),
    // The same comparison chart as the report's (an image: nothing in it runs).
    c.references.length ? el("img", { class: "graphique", src: "/charts/municipality/" + code + ".svg", alt: "Graphique : " + r.territory.name + " et ses territoires de référence (valeurs dans le tableau ci-dessus)" }) : null,
    near.length ? [el("h4", {}, "Service le plus proche"), el("ul", {}, near),
      el("p", { class: "mesure" }, measure ? "Mesure : temps de parcours par la route (réseau : " + measure + ")." : "Mesure : distance à vol d'oiseau.")] : null,
    tables.length ? [el("h4", {}, "Tables de concertation"), el("ul", {}, tables)] : null,
    el("p", {}, el("a", { id: "fiche-html", href: "/portrait/municipality/" + code + "?format=html" + ref }, "Fiche"), " (",
      el("a", { id: "fiche-pdf", href: "/portrait/municipality/" + code + "?format=pdf" + ref }, "PDF"), ")"));
}

async function overlays() {
  if (servicesLayer) { servicesLayer.remove(); servicesLayer = null; }
  if (gapsLayer) { gapsLayer.remove(); gapsLayer = null; }
  const extra = [];
  const cat = $("categorie").value, km = Math.max(1, Number($("rayon").value) || (roads ? 20 : 15));
  // With a road network, minutes by road; else kilometres as the crow flies. The legend says which, and names the network.
  const unit = roads ? " min" : " km";
  if (cat) {
    const g = await get("/geojson/gaps?" + territoryQuery() + "&category=" + encodeURIComponent(cat) + (roads ? "&max_min=" + km : "&max_km=" + km));
    gapsLayer = L.geoJSON(g, { style: (f) => f.properties.kind === "zone_sans_service"
      ? { color: "#7a0177", weight: 1, fillColor: "#7a0177", fillOpacity: 0.18 } : { color: "#d7301f", weight: 2.5, fill: false } }).addTo(map);
    extra.push({ color: "rgba(122,1,119,.3)", label: (roads ? "Plus de " + km + " min par la route de tout service « " : "Hors de " + km + " km à vol d'oiseau de tout service « ") + (symbolOf(cat).label.fr || cat) + " »" });
    extra.push({ color: "#fff", label: "Contour rouge : municipalité à plus de " + km + unit + " (" + g.features.filter((f) => f.properties.kind !== "zone_sans_service").length + ")" });
    extra.push({ note: true, label: roads ? "Mesure : temps de parcours par la route (réseau : " + roads + ")" : "Mesure : distance à vol d'oiseau" });
  }
  if ($("services").checked || cat) {
    const s = await get("/services?" + territoryQuery());
    const shown = s.features.filter((f) => $("services").checked || f.properties.category === cat);
    servicesLayer = L.geoJSON({ type: "FeatureCollection", features: shown }, { pointToLayer: (f, ll) => {
      const sym = symbolOf(f.properties.category);
      return L.marker(ll, { icon: L.divIcon({ html: symbolSVG(sym, 5), className: "symbole", iconSize: [10, 10] }) })
        .bindTooltip(tip(f.properties.name + " (" + (sym.label.fr || f.properties.category) + ")"));
    } }).addTo(map);
    const byCat = {};
    shown.forEach((f) => { byCat[f.properties.category] = (byCat[f.properties.category] || 0) + 1; });
    Object.keys(byCat).sort().forEach((c) => extra.push({ symbol: symbolOf(c), label: (symbolOf(c).label.fr || c) + " (" + byCat[c] + ")" }));
  }
  renderLegend(extra);
}

async function loadMRC() {
  const list = await get("/regions/" + encodeURIComponent($("region").value) + "/mrc");
  fill("mrc", option("", "(toute la région)"), list.map((m) => option(m.code, m.name)));
  const region = $("region").selectedOptions[0];
  fill("reference", option("", "(MRC, région, ensemble)"), option("region:" + region.value, region.text + " (région)"),
    list.map((m) => option("mrc:" + m.code, "MRC " + m.name)), option("all", "Ensemble du territoire"));
}

// The « Tableau de bord » tab: the action plans of the chosen region, each plan's statuses for the plan and its
// local concertations (only the chosen MRC's when one is chosen), from /plans and /plans/{id}.
const statusLabels = { atteinte: "atteinte", en_bonne_voie: "en bonne voie", a_surveiller: "à surveiller", en_retard: "en retard", sans_donnee: "sans donnée" };
const statusSymbols = { atteinte: "✔", en_bonne_voie: "↗", a_surveiller: "!", en_retard: "✖", sans_donnee: "∅" };
let planList = null, tab = "fiche";
function badge(s) {
  const known = Object.prototype.hasOwnProperty.call(statusLabels, s) ? s : "sans_donnee";
  return el("span", { class: "statut s-" + known }, el("span", { "aria-hidden": "true" }, statusSymbols[known] + " "), statusLabels[known]);
}
function showTab(name, focus) {
  tab = name;
  for (const [t, p] of [["onglet-fiche", "vue-fiche"], ["onglet-plans", "vue-plans"]]) {
    const on = (t === "onglet-plans") === (name === "plans");
    $(t).setAttribute("aria-selected", on ? "true" : "false");
    $(t).tabIndex = on ? 0 : -1;
    $(p).hidden = !on;
    if (on && focus) $(t).focus();
  }
  if (name === "plans") plansTab().catch((e) => { $("tableau").textContent = "Erreur : " + e.message; });
}
async function plansTab() {
  if (!planList) planList = (await get("/plans")).plans;
  const region = $("region").value;
  const mine = planList.filter((p) => p.region_code === region);
  const chosen = $("plan").value;
  fill("plan", mine.length ? mine.map((p) => option(p.id, p.title)) : option("", "(aucun plan pour cette région)"));
  setSelect("plan", chosen);
  $("plan").disabled = !mine.length;
  if (!mine.length) {
    fill("tableau",
      el("p", {}, planList.length ? "Aucun plan d'action n'est importé pour cette région." : "Aucun plan d'action n'est importé dans ce magasin."),
      el("p", {}, "Pour en importer un : ", el("code", {}, "portrait import plan PLAN.csv"), " (une ligne par cible), puis ses mesures : ",
        el("code", {}, "portrait import measurements MESURES.csv"), ". Exemple SYNTHÉTIQUE : ", el("code", {}, "geodata/plans/cosmoss_plan_SYNTHETIQUE.csv"),
        " ; mode d'emploi : docs/plans.md."));
    return;
  }
  const d = await get("/plans/" + encodeURIComponent($("plan").value) + "?format=json");
  const mrc = $("mrc").value;
  // With an MRC chosen: the plan and the local concertations of that MRC only.
  const keep = (s) => s.role === "plan" || !mrc || (s.level === "mrc" && s.code === mrc);
  const summaries = d.summaries.filter(keep);
  const kept = new Set(summaries.map((s) => s.territory));
  const statuses = Object.keys(statusLabels);
  fill("tableau",
    el("p", {}, "Situation au " + d.as_of, d.synthetic ? [" · ", el("strong", { class: "fictif" }, "données SYNTHÉTIQUES")] : null),
    el("table", { class: "plan-synthese" }, el("caption", {}, "Cibles par statut"),
      el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Territoire"), statuses.map((s) => el("th", { scope: "col" }, statusLabels[s])))),
      el("tbody", {}, summaries.map((s) => el("tr", {}, el("th", { scope: "row" }, s.name), statuses.map((k) => el("td", {}, String(s.counts[k] || 0))))))),
    el("ol", {}, d.targets.map((r) => el("li", {}, el("strong", {}, r.target.indicator), " (" + r.target_text + ")", el("br"), "Plan : ", badge(r.plan.status),
      r.territories.filter((s) => kept.has(s.territory)).map((s) => [el("br"), s.territory_name + " : ", badge(s.status)])))),
    el("p", {}, el("a", { href: "/plans/" + encodeURIComponent(d.plan.id) }, "Tableau de bord complet"), " · ",
      el("a", { href: "/plans/" + encodeURIComponent(d.plan.id) + "?format=pdf" }, "PDF")));
}

// Restores the view the URL names (a bookmark, back or forward).
async function restore() {
  const q = new URLSearchParams(location.search);
  restoring = true;
  try {
    if (q.get("region") && q.get("region") !== $("region").value) { setSelect("region", q.get("region")); }
    await loadMRC();
    setSelect("mrc", q.get("mrc") || "");
    setSelect("perso", q.get("territory") || "");
    setSelect("indicateur", q.get("map") || "littoral");
    $("services").checked = q.get("services") === "1";
    setSelect("categorie", q.get("category") || "");
    $("rayon").value = q.get("km") || (roads ? 20 : 15);
    setSelect("reference", q.get("reference") || "");
    fiche = q.get("municipality") || "";
    await draw();
    if (q.get("plan")) { fill("plan", option(q.get("plan"), "")); $("plan").value = q.get("plan"); }
    showTab(q.get("tab") === "plans" ? "plans" : "fiche", false);
    if (fiche) {
      const f = layer && Object.values(layer._layers).map((l) => l.feature).find((x) => x && x.properties.code === fiche);
      await card(f ? f.properties : { code: fiche, name: fiche });
    } else {
      fill("fiche", el("p", {}, "Cliquez sur une municipalité pour sa fiche."));
    }
  } finally { restoring = false; }
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
  roads = health.roads || null;
  if (roads) {
    $("unite-rayon").textContent = "min par la route";
    if (!new URLSearchParams(location.search).get("km")) $("rayon").value = 20;
  }
  const regions = await get("/regions");
  fill("region", regions.map((r) => option(r.code, r.name)));
  indicators = await get("/indicators");
  fill("indicateur", option("littoral", "Littoral et intérieur"),
    // The indicators that weigh others (land area, DA populations with a quintile) are figures, not maps (as in the reports).
    indicators.filter((d) => !indicators.some((o) => o.definition.weight === d.definition.name))
      .map((d) => option(d.definition.name, d.definition.label_fr)),
    option("mobilisations", "Tables de concertation"));
  categories = [...new Set((await get("/services?" + "region=" + regions[0].code)).features.map((f) => f.properties.category))].sort();
  $("categorie").append(...categories.map((c) => option(c, symbolOf(c).label.fr || c)));
  const custom = await get("/territories");
  fill("perso", option("", "(aucun)"), custom.map((t) => option(t.id, t.name)));
  $("perso").disabled = !custom.length;
  // A new territory closes the fiche; a new map, layer or radius keeps it open.
  const changed = (f, closes = false) => async () => { if (closes) fiche = ""; await f(); remember(); };
  $("region").onchange = async () => { $("mrc").value = ""; await loadMRC(); fiche = ""; await draw(); if (tab === "plans") await plansTab(); remember(); };
  $("mrc").onchange = changed(async () => { await draw(); if (tab === "plans") await plansTab(); }, true);
  $("perso").onchange = changed(draw, true);
  $("indicateur").onchange = changed(draw);
  $("services").onchange = changed(overlays);
  $("categorie").onchange = changed(overlays);
  $("rayon").onchange = changed(overlays);
  $("onglet-fiche").onclick = () => { showTab("fiche", false); remember(); };
  $("onglet-plans").onclick = () => { showTab("plans", false); remember(); };
  for (const id of ["onglet-fiche", "onglet-plans"]) {
    $(id).onkeydown = (e) => {
      if (e.key === "ArrowRight" || e.key === "ArrowLeft") { e.preventDefault(); showTab(tab === "plans" ? "fiche" : "plans", true); remember(); }
    };
  }
  $("plan").onchange = async () => { await plansTab(); remember(); };
  $("reference").onchange = async () => { remember(); if (fiche) await card({ code: fiche, name: fiche }); };
  window.addEventListener("popstate", () => { restore().catch((e) => { $("titre").textContent = "Erreur : " + e.message; }); });
  await restore();
  history.replaceState(null, "", viewQuery());
  document.body.dataset.ready = "oui";
}

start().catch((e) => { $("titre").textContent = "Erreur : " + e.message; document.body.dataset.ready = "erreur"; });
