/* The cooperation network map (Cytoscape.js). Positions come from the server (preset layout),
   so the browser only draws: the full demo graph stays responsive. */
(function () {
  "use strict";
  var COLOURS = {
    science: "#1565c0", industry: "#ef6c00", public: "#2e7d32",
    support: "#6a1b9a", finance: "#b8860b", other: "#757575"
  };

  function style() {
    // Selectors and data mappers, not functions: Cytoscape caches them, which matters with
    // thousands of nodes.
    var rules = [
      { selector: "node", style: {
          "background-color": "#757575", "width": 7, "height": 7,
          "label": "data(label)", "font-size": 9, "min-zoomed-font-size": 8,
          "text-valign": "bottom", "text-margin-y": 2, "color": "#333",
          "text-max-width": 120, "text-wrap": "ellipsis" } },
      { selector: "node[?member]", style: {
          "width": "mapData(degree, 0, 60, 12, 32)", "height": "mapData(degree, 0, 60, 12, 32)",
          "border-width": 2, "border-color": "#111" } },
      { selector: "edge", style: {
          "width": "mapData(weight, 1, 10, 1, 6)", "line-color": "#b0bec5", "opacity": 0.55,
          "curve-style": "haystack" } },
      { selector: "edge[logged > 0]", style: { "line-color": "#8e24aa", "opacity": 0.8 } },
      { selector: ".found", style: { "border-width": 4, "border-color": "#d50000", "z-index": 10 } },
      { selector: ".faded", style: { "opacity": 0.12 } }
    ];
    Object.keys(COLOURS).forEach(function (group) {
      rules.splice(1, 0, { selector: 'node[group = "' + group + '"]', style: { "background-color": COLOURS[group] } });
    });
    return rules;
  }

  function init(container) {
    var status = document.getElementById(container.dataset.status);
    var say = function (text) { if (status) { status.textContent = text; } };
    fetch(container.dataset.url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (data) {
        var big = data.nodes.length > 1500;
        var cy = cytoscape({
          container: container,
          elements: { nodes: data.nodes, edges: data.edges },
          layout: { name: "preset", fit: true, padding: 20 },
          style: style(),
          minZoom: 0.02, maxZoom: 5, wheelSensitivity: 0.3,
          hideEdgesOnViewport: big, textureOnViewport: big, pixelRatio: big ? 1 : "auto"
        });
        cy.one("render", function () {
          container.dataset.rendered = "true";
          container.dataset.renderMs = String(Math.round(performance.now()));
          // What waits for the map (the cluster's figures) may load now without slowing it.
          document.body.dispatchEvent(new CustomEvent("network-drawn"));
        });
        say(container.dataset.countsText
          .replace("%(nodes)s", data.counts.nodes).replace("%(edges)s", data.counts.edges));
        cy.on("tap", "node", function (event) {
          var url = event.target.data("url");
          if (url) { window.location.href = url; }
        });
        cy.on("mouseover", "node", function (event) {
          container.title = event.target.data("label") + " (" + (event.target.data("country") || "") + ")";
        });
        window.klasterNetworks = window.klasterNetworks || {};
        window.klasterNetworks[container.id] = cy;
        wireTools(container, cy, say);
      })
      .catch(function () {
        say(container.dataset.errorText);
        document.body.dispatchEvent(new CustomEvent("network-drawn"));
      });
  }

  function wireTools(container, cy, say) {
    var form = document.getElementById(container.dataset.search);
    var open = document.getElementById(container.dataset.open);
    if (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var query = form.querySelector("input").value.trim().toLowerCase();
        cy.elements().removeClass("found faded");
        if (!query) { if (open) { open.hidden = true; } return; }
        var found = cy.nodes().filter(function (n) { return n.data("label").toLowerCase().indexOf(query) >= 0; });
        if (found.length === 0) { say(container.dataset.notFoundText); if (open) { open.hidden = true; } return; }
        cy.elements().addClass("faded");
        var neighbourhood = found.closedNeighborhood();
        neighbourhood.removeClass("faded");
        found.addClass("found");
        cy.animate({ fit: { eles: neighbourhood, padding: 40 } }, { duration: 300 });
        say(container.dataset.foundText.replace("%(n)s", found.length));
        if (open) {
          open.href = found[0].data("url");
          open.textContent = open.dataset.label.replace("%(name)s", found[0].data("label"));
          open.hidden = false;
        }
      });
    }
    var png = document.getElementById(container.dataset.png);
    if (png) {
      png.addEventListener("click", function () {
        var link = document.createElement("a");
        link.href = cy.png({ full: true, bg: "#ffffff", maxWidth: 4000, maxHeight: 4000 });
        link.download = "klaster-network.png";
        document.body.appendChild(link);
        link.click();
        link.remove();
      });
    }
  }

  document.querySelectorAll("[data-network]").forEach(init);
})();
