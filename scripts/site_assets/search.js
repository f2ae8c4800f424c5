/* mlv site: search over the lessons' titles and transcripts, in the page, offline.
 * The index is window.MLV_SEARCH (assets/search-index.js): [{url, title, chapter, text}]. */
(function () {
  "use strict";
  var box = document.getElementById("q");
  var list = document.getElementById("results");
  var count = document.getElementById("results-count");
  var index = window.MLV_SEARCH || [];
  if (!box || !list) { return; }

  function snippet(text, at, n) {
    var a = Math.max(0, at - 60), b = Math.min(text.length, at + n + 80);
    if (a > 0) { a = text.indexOf(" ", a) + 1 || a; }          // whole words only
    if (b < text.length) { b = Math.max(at + n, text.lastIndexOf(" ", b)); }
    return (a > 0 ? "…" : "") + text.slice(a, b) + (b < text.length ? "…" : "");
  }

  function run() {
    var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
    list.textContent = "";
    if (!words.length) { count.textContent = ""; return; }
    var hits = 0;
    index.forEach(function (doc) {
      var hay = (doc.title + " " + doc.text).toLowerCase();
      for (var i = 0; i < words.length; i++) { if (hay.indexOf(words[i]) < 0) { return; } }
      hits++;
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = doc.url;
      a.textContent = doc.title;
      var ch = document.createElement("span");
      ch.className = "meta";
      ch.textContent = " · " + doc.chapter;
      var p = document.createElement("p");
      p.className = "summary";
      var at = doc.text.toLowerCase().indexOf(words[0]);
      p.textContent = at >= 0 ? snippet(doc.text, at, words[0].length) : doc.text.slice(0, 140);
      li.appendChild(a); li.appendChild(ch); li.appendChild(p);
      list.appendChild(li);
    });
    count.textContent = hits === 1 ? "1 lesson matches." : hits + " lessons match.";
  }

  box.addEventListener("input", run);
  run();
})();
