/*
 * quito_map_view: draws a GeoJSON or KML file of the portal with the
 * vendored Leaflet, with no tile server (plain background, fitted bounds).
 * The file is fetched from the same origin and refused over the size limit;
 * KML is converted with the vendored @tmcw/togeojson. The text alternative
 * (feature count, geometry types, extent) goes to #quito-map-summary, and
 * each feature gets a button in #quito-map-feature-list that shows it.
 * Configuration and texts: the JSON in #quito-map-config (previews/map.py).
 */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("quito-map-config").textContent);
  var messages = config.messages;
  var summary = document.getElementById("quito-map-summary");
  var lang = document.documentElement.lang || undefined;
  var NAME_KEYS = ["name", "nombre", "Name", "NOMBRE", "title", "titulo", "TITULO", "label", "id"];
  var MAX_LISTED = 500;

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (match, key) {
      return key in values ? values[key] : match;
    });
  }

  function say(text, isError) {
    summary.textContent = text;
    summary.classList.toggle("quito-preview-error", Boolean(isError));
  }

  function TooLarge() {}

  // The response's bytes, refused as soon as they pass the limit.
  async function readLimited(response, max) {
    if (!response.ok) throw new Error("HTTP " + response.status);
    if (Number(response.headers.get("Content-Length")) > max) throw new TooLarge();
    var reader = response.body.getReader();
    var chunks = [], total = 0;
    for (;;) {
      var part = await reader.read();
      if (part.done) break;
      total += part.value.length;
      if (total > max) {
        reader.cancel();
        throw new TooLarge();
      }
      chunks.push(part.value);
    }
    var bytes = new Uint8Array(total), offset = 0;
    chunks.forEach(function (chunk) { bytes.set(chunk, offset); offset += chunk.length; });
    return bytes;
  }

  // KML declares its encoding in the XML declaration; GeoJSON is UTF-8.
  function decode(bytes, kind) {
    var label = "utf-8";
    if (kind === "kml") {
      var head = new TextDecoder("latin1").decode(bytes.subarray(0, 200));
      var found = /^\s*<\?xml[^>]*encoding=["']([\w.:-]+)["']/.exec(head);
      if (found) label = found[1];
    }
    try {
      return new TextDecoder(label).decode(bytes);
    } catch (error) {
      return new TextDecoder("utf-8").decode(bytes);
    }
  }

  function toGeoJSON(text, kind) {
    if (kind !== "kml") return JSON.parse(text);
    var doc = new DOMParser().parseFromString(text, "application/xml");
    if (doc.getElementsByTagName("parsererror").length) throw new Error("KML");
    return window.toGeoJSON.kml(doc);
  }

  // Every [lon, lat] position of a geometry, into extent.
  function addPositions(coords, extent) {
    if (!Array.isArray(coords)) return;
    if (typeof coords[0] === "number") {
      extent.west = Math.min(extent.west, coords[0]);
      extent.east = Math.max(extent.east, coords[0]);
      extent.south = Math.min(extent.south, coords[1]);
      extent.north = Math.max(extent.north, coords[1]);
      return;
    }
    coords.forEach(function (inner) { addPositions(inner, extent); });
  }

  function addGeometry(geometry, extent) {
    if (!geometry) return;
    if (geometry.type === "GeometryCollection") {
      (geometry.geometries || []).forEach(function (g) { addGeometry(g, extent); });
    } else {
      addPositions(geometry.coordinates, extent);
    }
  }

  function extentOf(features) {
    var extent = {west: Infinity, south: Infinity, east: -Infinity, north: -Infinity};
    features.forEach(function (feature) { addGeometry(feature.geometry, extent); });
    return extent;
  }

  function inDegrees(extent) {
    return extent.west >= -180 && extent.east <= 180 && extent.south >= -90 && extent.north <= 90;
  }

  // The features of a FeatureCollection, a Feature or a bare geometry that have a geometry.
  function featuresOf(geojson) {
    var list = geojson.type === "FeatureCollection" ? geojson.features || []
      : geojson.type === "Feature" ? [geojson] : [{type: "Feature", properties: {}, geometry: geojson}];
    return list.filter(function (feature) { return feature && feature.geometry; });
  }

  function featureName(feature, index) {
    var props = feature.properties || {};
    for (var i = 0; i < NAME_KEYS.length; i++) {
      var value = props[NAME_KEYS[i]];
      if (value !== undefined && value !== null && String(value).trim()) return String(value).trim();
    }
    return fill(messages.feature, {number: index + 1});
  }

  // A feature's properties as a small table (text only, never HTML).
  function popupContent(feature, index) {
    var box = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = featureName(feature, index);
    box.appendChild(title);
    var table = document.createElement("table");
    table.className = "quito-map-popup";
    Object.keys(feature.properties || {}).slice(0, 20).forEach(function (key) {
      var value = feature.properties[key];
      if (value === null || typeof value === "object") return;
      var row = table.insertRow(), th = document.createElement("th");
      th.scope = "row";
      th.textContent = key;
      row.appendChild(th);
      row.insertCell().textContent = String(value);
    });
    box.appendChild(table);
    return box;
  }

  function number(value) {
    return value.toLocaleString(lang, {maximumFractionDigits: 5});
  }

  function describe(entries, extent) {
    var types = [];
    entries.forEach(function (entry) {
      if (types.indexOf(entry.feature.geometry.type) < 0) types.push(entry.feature.geometry.type);
    });
    say(fill(messages.summary, {
      count: entries.length.toLocaleString(lang), types: types.join(", "),
      west: number(extent.west), south: number(extent.south), east: number(extent.east), north: number(extent.north)
    }));
  }

  function listFeatures(entries, map) {
    var list = document.getElementById("quito-map-feature-list");
    entries.slice(0, MAX_LISTED).forEach(function (entry, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-link quito-map-feature";
      button.textContent = featureName(entry.feature, index);
      button.addEventListener("click", function () {
        if (entry.layer.getBounds) map.fitBounds(entry.layer.getBounds(), {maxZoom: 16});
        else map.setView(entry.layer.getLatLng(), Math.max(map.getZoom(), 14));
        entry.layer.openPopup();
      });
      list.appendChild(document.createElement("li")).appendChild(button);
    });
    document.getElementById("quito-map-features").hidden = false;
  }

  function draw(features) {
    var map = L.map("quito-map", {attributionControl: false, zoomSnap: 0.25, keyboard: true});
    L.control.scale({imperial: false}).addTo(map);
    var entries = [];
    var layer = L.geoJSON({type: "FeatureCollection", features: features}, {
      style: function (feature) {
        return /Point/.test(feature.geometry.type)
          ? {color: "#7f1d1d", weight: 2, fillColor: "#dc2626", fillOpacity: 0.85}
          : {color: "#0b5394", weight: 2, fillColor: "#3d85c6", fillOpacity: 0.25};
      },
      pointToLayer: function (feature, latlng) { return L.circleMarker(latlng, {radius: 6}); },
      onEachFeature: function (feature, featureLayer) {
        featureLayer.bindPopup(popupContent(feature, entries.length));
        entries.push({feature: feature, layer: featureLayer});
      }
    }).addTo(map);
    map.fitBounds(layer.getBounds(), {padding: [16, 16], maxZoom: 16});
    return {map: map, entries: entries};
  }

  async function main() {
    var response = await fetch(config.url, {credentials: "same-origin"});
    var text = decode(await readLimited(response, config.maxBytes), config.kind);
    var features = featuresOf(toGeoJSON(text, config.kind));
    if (!features.length) return say(messages.empty, true);
    var extent = extentOf(features);
    if (!inDegrees(extent)) return say(messages.not_degrees, true);
    var drawn = draw(features);
    describe(drawn.entries, extent);
    listFeatures(drawn.entries, drawn.map);
  }

  main().catch(function (error) {
    say(error instanceof TooLarge ? messages.too_large : messages.failed, true);
  });
})();
