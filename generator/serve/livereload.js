// Arshif live reload: injected into HTML as it is served (never written into site/).
// Listens for finished builds over server-sent events; reloads the page when a build changed
// its file (or when the build does not say which files changed), only swaps stylesheets when
// nothing but CSS changed, and tells the server which page is open so it is rebuilt first.
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
    var mine = !build.paths || build.paths.indexOf(served.page) >= 0;
    if (!mine && !build.error && !served.error) {
      served.epoch = build.epoch;  // this page's file is unchanged: nothing to reload
      return;
    }
    location.reload();
  }
  if (!window.EventSource) return;
  var events = served.events + (served.page ? "?page=" + encodeURIComponent(served.page) : "");
  var source = new EventSource(events);
  source.addEventListener("build", onBuild);
  window.addEventListener("pagehide", function () { source.close(); });
})();
