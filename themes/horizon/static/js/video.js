/* storypath video facade (video.html): a YouTube or Vimeo video is a poster
   and a play button until the button is pressed, so the page requests
   nothing from a third party before that. Without JavaScript the button is
   a link to the video on YouTube or Vimeo. With it, the link becomes a
   button, and pressing it puts the player in the facade's place, in the
   same 16:9 box (no layout shift), starts it and moves focus into it. The
   player comes from the box's data-embed (youtube-nocookie.com, or Vimeo
   with dnt=1), which the build wrote; nothing from the page is read as HTML. */
(function () {
  "use strict";
  if (!document.querySelectorAll) return;

  function play(box) {
    var frame = document.createElement("iframe");
    frame.className = "video-frame";
    frame.src = box.getAttribute("data-embed");
    frame.title = box.getAttribute("data-title") || "Video";
    frame.setAttribute("allow", "autoplay; fullscreen; picture-in-picture");
    frame.setAttribute("allowfullscreen", "");
    frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
    while (box.firstChild) box.removeChild(box.firstChild);
    box.appendChild(frame);
    box.classList.remove("video-facade");
    box.classList.add("video-playing");
    box.removeAttribute("data-embed");
    frame.focus();
  }

  var boxes = document.querySelectorAll(".video-facade[data-embed]");
  Array.prototype.forEach.call(boxes, function (box) {
    var link = box.querySelector("a.video-play");
    if (!link) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = link.className;
    button.setAttribute("aria-label", link.getAttribute("aria-label") || "Play video");
    while (link.firstChild) button.appendChild(link.firstChild);
    link.parentNode.replaceChild(button, link);
    button.addEventListener("click", function () {
      play(box);
    });
  });
})();
