/* storypath path map: focus on a role. Hovering over or focusing a role
   (Tab reaches every role: each is a link to its page, and still opens it
   on Enter or a click) draws its moves in and out in full, fades the rest,
   and says them, with the people who made them, in a polite live region
   under the map. Escape clears. Only maps whose moves carry their ends
   (data-from, data-to: the full map) are enhanced; without JavaScript the
   map is the same drawing with its links and tooltips. Text is set with
   textContent: nothing from the page is read as HTML. */
(function () {
  "use strict";
  if (!document.querySelectorAll || !window.addEventListener) return;
  /* The words it writes, in the page's language: data- attributes of this
     script's own tag (the theme's i18n files). */
  var me = document.currentScript;
  function word(name, english) { return (me && me.getAttribute("data-" + name)) || english; }
  var say = {
    hint: word("hint", "Hover over a role, or Tab to it, to see the moves in and out of it and who made them."),
    /* A touch screen cannot hover, and a tap on a role opens its page. */
    hintTouch: word("hint-touch", "Tap a role to open its page: who holds it, where they came from and where they went next."),
    movesIn: word("in", "Moves in"),
    movesOut: word("out", "Moves on")
  };

  function own(el, tag) {
    for (var c = el.firstElementChild; c; c = c.nextElementSibling) {
      if (c.tagName.toLowerCase() === tag) return c;
    }
    return null;
  }

  function titleOf(el) {
    var t = own(el, "title");
    return t ? t.textContent : "";
  }

  function enhance(svg) {
    var edges = Array.prototype.slice.call(svg.querySelectorAll(".sp-edge[data-from]"));
    if (!edges.length) return;
    var nodes = Array.prototype.slice.call(svg.querySelectorAll(".sp-node[data-role]"));
    var scroll = svg.closest ? svg.closest(".map-scroll") : null;
    var anchor = scroll || svg;
    var live = document.createElement("div");
    live.className = "map-focus";
    live.setAttribute("aria-live", "polite");
    var touch = window.matchMedia && window.matchMedia("(hover: none)").matches;
    var hint = touch ? say.hintTouch : say.hint;
    live.textContent = hint;
    anchor.parentNode.insertBefore(live, anchor.nextSibling);
    var current = null;

    function list(label, moves) {
      var box = document.createElement("div");
      var h = document.createElement("p");
      h.className = "map-focus-head";
      h.textContent = label + " (" + moves.length + ")";
      box.appendChild(h);
      if (!moves.length) return box;
      var ul = document.createElement("ul");
      moves.forEach(function (e) {
        var li = document.createElement("li");
        li.textContent = titleOf(e);
        ul.appendChild(li);
      });
      box.appendChild(ul);
      return box;
    }

    function show(node) {
      var id = node.getAttribute("data-role");
      if (current === id) return;
      current = id;
      var near = {};
      near[id] = true;
      var ins = [], outs = [];
      edges.forEach(function (e) {
        var from = e.getAttribute("data-from"), to = e.getAttribute("data-to");
        var on = from === id || to === id;
        e.classList.toggle("sp-on", on);
        if (to === id) { ins.push(e); near[from] = true; }
        if (from === id) { outs.push(e); near[to] = true; }
      });
      nodes.forEach(function (n) {
        var r = n.getAttribute("data-role");
        n.classList.toggle("sp-dim", !near[r]);
        n.classList.toggle("sp-here", r === id);
      });
      svg.classList.add("sp-focusing");
      live.textContent = "";
      var head = document.createElement("p");
      head.className = "map-focus-role";
      head.textContent = titleOf(node);
      live.appendChild(head);
      live.appendChild(list(say.movesIn, ins));
      live.appendChild(list(say.movesOut, outs));
    }

    function clear() {
      if (current === null) return;
      current = null;
      svg.classList.remove("sp-focusing");
      edges.forEach(function (e) { e.classList.remove("sp-on"); });
      nodes.forEach(function (n) { n.classList.remove("sp-dim", "sp-here"); });
      live.textContent = hint;
    }

    nodes.forEach(function (n) {
      n.addEventListener("mouseenter", function () { show(n); });
      n.addEventListener("focus", function () { show(n); });
      n.addEventListener("mouseleave", function () {
        var f = document.activeElement;
        if (f && f !== n && nodes.indexOf(f) >= 0) show(f); else if (f !== n) clear();
      });
      n.addEventListener("blur", function () {
        setTimeout(function () { if (nodes.indexOf(document.activeElement) < 0) clear(); }, 0);
      });
    });
    svg.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape" || ev.key === "Esc") clear();
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("svg.sp-map"), enhance);
})();
