// Arshif live reload: injected into HTML as it is served (never written into site/).
// Listens for finished builds over server-sent events; reloads the page, or only swaps
// stylesheets when nothing but CSS changed.
(function () {
  "use strict";
  var served = JSON.parse(document.currentScript.dataset.build);
  function swapStylesheets(epoch) {
    var links = document.querySelectorAll('link[rel~="stylesheet"]');
    for (var i = 0; i < links.length; i++) {
      var url = new URL(links[i].href, location.href);
      if (url.origin !== location.origin) continue;
      url.searchParams.set("arshif-reload", String(epoch));
      links[i].href = url.pathname + url.search;
    }
  }
  function onBuild(event) {
    var build = JSON.parse(event.data);
    if (build.id !== served.id) { location.reload(); return; }  // a restarted server
    if (build.epoch <= served.epoch) return;
    if (build.reload === "css" && !build.error && !served.error) {
      served.epoch = build.epoch;
      swapStylesheets(build.epoch);
      return;
    }
    location.reload();
  }
  if (!window.EventSource) return;
  var source = new EventSource(served.events);
  source.addEventListener("build", onBuild);
  window.addEventListener("pagehide", function () { source.close(); });
})();
