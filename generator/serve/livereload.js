// Arshif live reload: injected into HTML as it is served (never written into site/).
// Listens for finished builds over server-sent events and tells the server which page is open
// (so a change re-renders it first). When a build changed this page's file (or does not say
// which files changed), the page is fetched again and its body swapped in place: the
// stylesheets stay loaded and the scroll position is kept. Anything more (a changed <head>,
// an error page, a restarted server) reloads the whole page; a change to nothing but CSS
// only swaps the stylesheets.
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
  var LOADED = 'link[rel~="stylesheet"], script[src]';  // what a swap must not fetch again
  function plain(address) {  // an address without our stylesheet-swap marker
    var url = new URL(address, location.href);
    url.searchParams.delete("arshif-reload");
    return url.href;
  }
  function loaded(head) {
    return Array.prototype.map.call(head.querySelectorAll(LOADED), function (el) {
      return el.tagName + " " + plain(el.getAttribute("href") || el.getAttribute("src"));
    }).join("\n");
  }
  function swapHead(head) {
    Array.prototype.slice.call(document.head.children).forEach(function (el) {
      if (!el.matches(LOADED)) el.remove();
    });
    Array.prototype.slice.call(head.children).forEach(function (el) {
      if (!el.matches(LOADED)) document.head.appendChild(document.adoptNode(el));
    });
  }
  function swapPage(html, cssEpoch) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var script = doc.querySelector("script[data-arshif-reload]");
    var next = script && JSON.parse(script.dataset.build);
    if (!next || next.id !== served.id || next.error || served.error ||
        loaded(doc.head) !== loaded(document.head)) {
      location.reload();  // other stylesheets or scripts, an error: start afresh
      return;
    }
    swapHead(doc.head);
    document.body.replaceWith(document.adoptNode(doc.body));
    served.epoch = Math.max(served.epoch, next.epoch);
    if (cssEpoch) swapStylesheets(cssEpoch);
  }
  function refresh(cssEpoch) {
    fetch(location.href, { cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (html) { swapPage(html, cssEpoch); })
      .catch(function () { location.reload(); });
  }
  function onBuild(event) {
    var build = JSON.parse(event.data);
    if (build.id !== served.id) { location.reload(); return; }  // a restarted server
    if (build.epoch <= served.epoch) return;
    if (build.error || served.error) { location.reload(); return; }
    // A build may change stylesheets and pages at once (saves gathered into one build).
    var css = build.reload === "css" || (build.paths || []).some(function (path) {
      return /\.css$/.test(path);
    });
    var mine = build.reload !== "css" && (!build.paths || build.paths.indexOf(served.page) >= 0);
    served.epoch = build.epoch;
    if (mine) refresh(css ? build.epoch : 0);
    else if (css) swapStylesheets(build.epoch);
    // else neither this page's file nor a stylesheet changed: nothing to do
  }
  if (!window.EventSource) return;
  var events = served.events + (served.page ? "?page=" + encodeURIComponent(served.page) : "");
  var source = new EventSource(events);
  source.addEventListener("build", onBuild);
  window.addEventListener("pagehide", function () { source.close(); });
})();
