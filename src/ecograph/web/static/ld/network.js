// ecograph collaboration network: draws /-/network/KIND/KEY.json into <svg id="network">.
// No dependencies and no network access beyond the JSON twin of the page (same origin).
// Interactions: drag a node to move it, drag the background to pan, wheel to zoom,
// hover a node to highlight its links, click a node to open its page.
(function () {
  "use strict";
  var SVG_NS = "http://www.w3.org/2000/svg";

  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG_NS, name);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (parent) { parent.appendChild(node); }
    return node;
  }

  function draw(svg, data, status) {
    while (svg.firstChild) { svg.removeChild(svg.firstChild); }
    svg.setAttribute("viewBox", "0 0 " + data.width + " " + data.height);
    var view = { x: 0, y: 0, w: data.width, h: data.height };
    var scene = el("g", { "class": "scene" }, svg);
    var edgeLayer = el("g", { "class": "edges" }, scene);
    var nodeLayer = el("g", { "class": "nodes" }, scene);
    var byId = {};
    var records = [];
    var top = data.edges.reduce(function (m, e) { return Math.max(m, e.weight); }, 1);

    data.nodes.forEach(function (n) { byId[n.id] = { data: n, x: n.x, y: n.y, edges: [] }; });
    data.edges.forEach(function (e) {
      var line = el("line", { "class": "edge", "stroke-width": (1 + 7 * Math.sqrt(e.weight / top)).toFixed(2),
        "data-source": e.source, "data-target": e.target, "data-weight": e.weight }, edgeLayer);
      el("title", {}, line).textContent = e.weight + " shared project" + (e.weight === 1 ? "" : "s");
      var record = { line: line, source: byId[e.source], target: byId[e.target] };
      records.push(record);
      record.source.edges.push(record);
      record.target.edges.push(record);
    });
    data.nodes.forEach(function (n) {
      var item = byId[n.id];
      var group = el("g", { "class": n.focus ? "node focus" : "node", "data-iri": n.id, tabindex: "0" }, nodeLayer);
      item.circle = el("circle", { r: n.r }, group);
      el("title", {}, item.circle).textContent = n.label + ": " + n.projects + " project" + (n.projects === 1 ? "" : "s");
      item.text = el("text", {}, group);
      item.text.textContent = n.label;
      item.group = group;
      place(item);
      group.addEventListener("mouseenter", function () { highlight(item, true); });
      group.addEventListener("mouseleave", function () { highlight(item, false); });
      group.addEventListener("keydown", function (event) {
        if (event.key === "Enter") { window.location.href = n.href; }
      });
      dragNode(item, n.href);
    });
    records.forEach(placeEdge);

    function place(item) {
      item.circle.setAttribute("cx", item.x.toFixed(1));
      item.circle.setAttribute("cy", item.y.toFixed(1));
      item.text.setAttribute("x", (item.x + item.data.r + 3).toFixed(1));
      item.text.setAttribute("y", (item.y + 4).toFixed(1));
      item.edges.forEach(placeEdge);
    }

    function placeEdge(record) {
      record.line.setAttribute("x1", record.source.x.toFixed(1));
      record.line.setAttribute("y1", record.source.y.toFixed(1));
      record.line.setAttribute("x2", record.target.x.toFixed(1));
      record.line.setAttribute("y2", record.target.y.toFixed(1));
    }

    function highlight(item, on) {
      var near = {};
      near[item.data.id] = true;
      item.edges.forEach(function (r) { near[r.source.data.id] = true; near[r.target.data.id] = true; });
      Object.keys(byId).forEach(function (id) {
        byId[id].group.classList.toggle("dim", on && !near[id]);
      });
      Array.prototype.forEach.call(edgeLayer.childNodes, function (line) {
        var mine = line.getAttribute("data-source") === item.data.id || line.getAttribute("data-target") === item.data.id;
        line.classList.toggle("hot", on && mine);
        line.classList.toggle("dim", on && !mine);
      });
    }

    function toScene(event) {
      var box = svg.getBoundingClientRect();
      return { x: view.x + (event.clientX - box.left) / box.width * view.w,
               y: view.y + (event.clientY - box.top) / box.height * view.h };
    }

    function dragNode(item, href) {
      var start = null;
      item.group.addEventListener("pointerdown", function (event) {
        event.stopPropagation();
        start = { p: toScene(event), x: item.x, y: item.y, moved: false };
        item.group.setPointerCapture(event.pointerId);
      });
      item.group.addEventListener("pointermove", function (event) {
        if (!start) { return; }
        var p = toScene(event);
        if (Math.abs(p.x - start.p.x) + Math.abs(p.y - start.p.y) > 3) { start.moved = true; }
        item.x = start.x + p.x - start.p.x;
        item.y = start.y + p.y - start.p.y;
        place(item);
      });
      item.group.addEventListener("pointerup", function () {
        var clicked = start && !start.moved;
        start = null;
        if (clicked) { window.location.href = href; }
      });
    }

    var pan = null;
    svg.addEventListener("pointerdown", function (event) {
      pan = { p: { x: event.clientX, y: event.clientY }, x: view.x, y: view.y };
    });
    svg.addEventListener("pointermove", function (event) {
      if (!pan) { return; }
      var box = svg.getBoundingClientRect();
      view.x = pan.x - (event.clientX - pan.p.x) / box.width * view.w;
      view.y = pan.y - (event.clientY - pan.p.y) / box.height * view.h;
      svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].join(" "));
    });
    svg.addEventListener("pointerup", function () { pan = null; });
    svg.addEventListener("wheel", function (event) {
      event.preventDefault();
      var p = toScene(event);
      var factor = event.deltaY > 0 ? 1.15 : 1 / 1.15;
      view.x = p.x - (p.x - view.x) * factor;
      view.y = p.y - (p.y - view.y) * factor;
      view.w *= factor;
      view.h *= factor;
      svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].join(" "));
    }, { passive: false });

    svg.setAttribute("data-drawn-nodes", String(data.nodes.length));
    svg.setAttribute("data-drawn-edges", String(data.edges.length));
    if (status) {
      status.textContent = data.nodes.length + " " + (data.nodes.length === 1 ? "node" : "nodes") +
        ", " + data.edges.length + " " + (data.edges.length === 1 ? "link" : "links");
    }
  }

  function start() {
    var svg = document.getElementById("network");
    if (!svg) { return; }
    var status = document.getElementById("network-status");
    fetch(svg.getAttribute("data-src"), { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("the server answered " + response.status); }
        return response.json();
      })
      .then(function (data) { draw(svg, data, status); })
      .catch(function (error) {
        svg.setAttribute("data-error", String(error));
        if (status) { status.textContent = "Could not draw the network: " + error.message; }
      });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
