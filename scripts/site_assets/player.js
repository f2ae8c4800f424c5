/* mlv site: the video's tracks and its interactive transcript. No network, no libraries.
 *
 * The page's cues are in <script id="mlv-data"> (JSON): over http(s) the <track> elements load
 * their .vtt files; from file:// (where browsers refuse <track> files) each <track> is replaced
 * by a script-made track holding the same cues. The transcript's buttons seek the video; the line being said
 * is highlighted (class "current", aria-current) as the video plays. The captions are hidden
 * at first (the video shows its narration on screen) and offered in the player's menu.
 */
(function () {
  "use strict";
  var video = document.getElementById("video");
  if (!video) { return; }
  var dataNode = document.getElementById("mlv-data");
  var data = dataNode ? JSON.parse(dataNode.textContent) : {};
  var tracks = video.querySelectorAll("track");
  var local = !/^https?:$/.test(window.location.protocol);

  // From file:// a <track> element cannot load its file (and clears the cues it is given when
  // its load fails), so each one is replaced by a script-made track holding the same cues.
  function replace(el, cues) {
    var tt = video.addTextTrack(el.getAttribute("kind"), el.getAttribute("label"),
                                el.getAttribute("srclang"));
    el.parentNode.removeChild(el);
    tt.mode = "hidden";
    for (var i = 0; i < (cues || []).length; i++) {
      tt.addCue(new VTTCue(cues[i][0], cues[i][1], cues[i][2]));
    }
  }

  for (var i = 0; i < tracks.length; i++) {
    var t = tracks[i];
    if (local) {
      replace(t, data[t.getAttribute("kind")]);
    } else if (t.track) {
      t.track.mode = "hidden";              // loads the .vtt; the player's menu shows it
    }
  }

  var buttons = Array.prototype.slice.call(document.querySelectorAll(".transcript .cue"));
  var starts = buttons.map(function (b) { return parseFloat(b.getAttribute("data-start")); });
  var current = -1;

  function mark(k) {
    if (k === current) { return; }
    if (current >= 0) {
      buttons[current].classList.remove("current");
      buttons[current].removeAttribute("aria-current");
    }
    current = k;
    if (k >= 0) {
      buttons[k].classList.add("current");
      buttons[k].setAttribute("aria-current", "true");
    }
  }

  function update() {
    var t = video.currentTime, k = -1;
    for (var j = 0; j < starts.length; j++) {
      if (starts[j] <= t + 1e-3) { k = j; } else { break; }
    }
    mark(k);
  }

  buttons.forEach(function (b, k) {
    b.addEventListener("click", function () {
      video.currentTime = starts[k];
      mark(k);
      var p = video.play();
      if (p && p.catch) { p.catch(function () {}); }
    });
  });
  video.addEventListener("timeupdate", update);
  video.addEventListener("seeked", update);
})();
