// Portrait viewer: French first. Talks only to this service's JSON and GeoJSON routes.
"use strict";
const $ = (id) => document.getElementById(id);
const fmt = (v, d = 0) => v == null ? "—" : Number(v).toLocaleString("fr-CA", { maximumFractionDigits: d });
const PALETTE = ["#d7191c", "#fdae61", "#ffffbf", "#abd9e9", "#2c7bb6"];
const COAST = { littoral: "#0571b0", interieur: "#f4a582" };
let map, layer, servicesLayer, gapsLayer, indicators = [];

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

function legend(title, rows) {
  $("legende").innerHTML = "<h3>" + title + "</h3>" + rows.map((r) =>
    '<div class="ligne"><span class="case ' + (r.hatch ? "hachure" : "") + '" style="background:' + (r.color || "") + '"></span>' +
    r.label + "</div>").join("");
}

async function draw() {
  const q = territoryQuery();
  const choice = $("indicateur").value;
  const fc = await get("/geojson/municipalities?" + q);
  if (layer) layer.remove();
  let style, rows;
  if (choice === "littoral") {
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
  const label = choice === "littoral" ? "Littoral et intérieur" : (indicators.find((d) => d.definition.name === choice) || {}).definition?.label_fr || choice;
  legend(label, rows);
  layer = L.geoJSON(fc, { style, onEachFeature: (f, l) => l.on("click", () => card(f.properties)) }).addTo(map);
  map.fitBounds(layer.getBounds());
  $("titre").textContent = label + " — " + ($("mrc").selectedOptions[0]?.value ? $("mrc").selectedOptions[0].text : $("region").selectedOptions[0].text);
  const level = $("mrc").value ? "mrc" : "region", code = $("mrc").value || $("region").value;
  const style_ = choice === "littoral" ? "littoral" : choice === "population" ? "population" : choice === "ive" ? "vitalite" : "defavorisation";
  $("liens").innerHTML = '<a href="/portrait/' + level + "/" + code + '?format=html">Portrait</a> · ' +
    '<a href="/maps/' + level + "/" + code + ".svg?style=" + style_ + (choice === "littoral" ? "" : "&indicator=" + choice) + '" download>SVG</a> · ' +
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
  if ($("services").checked) {
    const s = await get("/services?" + territoryQuery());
    servicesLayer = L.geoJSON(s, { pointToLayer: (f, ll) => L.circleMarker(ll, { radius: 4, color: "#1b9e77", weight: 1, fillOpacity: 0.9 })
      .bindTooltip(f.properties.name + " (" + f.properties.category + ")") }).addTo(map);
  }
  const cat = $("categorie").value;
  if (cat) {
    const g = await get("/geojson/gaps?" + territoryQuery() + "&category=" + encodeURIComponent(cat));
    gapsLayer = L.geoJSON(g, { style: (f) => f.properties.kind === "zone_sans_service"
      ? { color: "#7b3294", weight: 1, fillColor: "#7b3294", fillOpacity: 0.25 } : { color: "#7b3294", weight: 2, fill: false } }).addTo(map);
  }
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
  $("avertissement").hidden = !health.demo;
  const regions = await get("/regions");
  $("region").innerHTML = regions.map((r) => '<option value="' + r.code + '">' + r.name + "</option>").join("");
  indicators = await get("/indicators");
  $("indicateur").innerHTML = '<option value="littoral">Littoral et intérieur</option>' +
    indicators.map((d) => '<option value="' + d.definition.name + '">' + d.definition.label_fr + "</option>").join("");
  const categories = [...new Set((await get("/services?" + "region=" + regions[0].code)).features.map((f) => f.properties.category))];
  $("categorie").innerHTML += categories.map((c) => '<option value="' + c + '">' + c + "</option>").join("");
  await loadMRC();
  $("region").onchange = async () => { await loadMRC(); await draw(); };
  $("mrc").onchange = draw;
  $("indicateur").onchange = draw;
  $("services").onchange = overlays;
  $("categorie").onchange = overlays;
  await draw();
  document.body.dataset.ready = "oui";
}

start().catch((e) => { $("titre").textContent = "Erreur : " + e.message; document.body.dataset.ready = "erreur"; });
