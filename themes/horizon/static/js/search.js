/* storypath search: finds stories and roles as you type, from the site's
   search index (search.json, fetched once, when the box is first focused or
   typed in). A story matches when every word of the query begins a word of
   it, accents and case aside (folded as src/render/search.rs folds the
   index); matches are ranked by where the words are found: a name or a
   headline above a role, tag or place, above the body. The ranked matches
   are listed under the box, and the story cards below keep only the stories
   found. The form is in the page from the start (no shift when this script
   runs) and hidden by CSS when scripting is off, so without JavaScript the
   page is simply the full list. Results are built with textContent: nothing
   from the index is read as HTML. tests/search.rs runs this file itself. */
(function () {
  "use strict";

  var MARKS = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g;
  // What a word is made of and what joins its parts: as `is_word_char` and
  // `is_joiner` in search.rs.
  var CHUNKS = /[^\p{Alphabetic}\p{N}\-'\u2010\u2011\u2019]+/u;
  var JOINERS = /[\-'\u2010\u2011\u2019]+/;
  var LIMIT = 20;

  function fold(text) {
    return String(text || "").normalize("NFD").replace(MARKS, "").toLowerCase();
  }

  /* The folded words of a text; with `joined`, a hyphenated word also
     whole (`real-time` -> real, time, realtime), as the index keeps it. */
  function words(text, joined) {
    var out = [];
    fold(text).split(CHUNKS).forEach(function (chunk) {
      var parts = chunk.split(JOINERS).filter(Boolean);
      if (joined && parts.length > 1) out.push(parts.join(""));
      out.push.apply(out, parts);
    });
    return out;
  }

  /* An English word without its ending (`schedules`, `scheduling` ->
     `schedul`), so a query finds the other forms of its words too, ranked
     below the words as typed. Other languages match as typed. */
  function stemmer(lang) {
    if (!/^en\b/.test(lang || "")) return function (w) { return w; };
    return function (w) {
      var s = w.replace(/(?:ments?|ings?|ers?|edly|ed|ies|es|s|ly|y)$/, "");
      if (s.length < 3) return w;
      return s.length > 3 ? s.replace(/e$/, "") : s;
    };
  }

  /* The index as a list of items, each with its fields' words and their
     weight. `base` is the index's own URL: its URLs are relative to it. */
  function prepare(data, base) {
    var items = [];
    function field(weight, text) { return { weight: weight, words: words(text, true) }; }
    (data.stories || []).forEach(function (s) {
      items.push({ kind: say.story, title: s.title, detail: s.name + ", " + s.role, url: new URL(s.url, base).href,
        fields: [field(10, s.name), field(8, s.title), field(6, s.role), field(5, (s.topics || []).join(" ")),
          field(5, s.location), field(4, s.track), field(3, s.quote), { weight: 1, words: (s.words || "").split(" ") }] });
    });
    (data.roles || []).forEach(function (r) {
      items.push({ kind: say.role, title: r.title, detail: r.track, url: new URL(r.url, base).href,
        fields: [field(10, r.title), field(5, (r.skills || []).join(" ")), field(4, r.track), field(2, r.summary)] });
    });
    return { items: items, stem: stemmer(data.lang) };
  }

  /* How well `term` (with its stem) is found in `item`: the best of its
     fields, twice the weight for a whole word, half for a stem; 0 when it
     is not found. */
  function termScore(item, term, stem) {
    var best = 0;
    item.fields.forEach(function (f) {
      for (var i = 0; i < f.words.length; i++) {
        var w = f.words[i];
        var s = w === term ? 2 * f.weight : w.lastIndexOf(term, 0) === 0 ? f.weight :
          w.lastIndexOf(stem, 0) === 0 ? f.weight / 2 : 0;
        if (s > best) best = s;
      }
    });
    return best;
  }

  /* The items every word of `query` is found in, best first (in index
     order when equal: stories newest first, then roles). */
  function search(index, query) {
    var terms = words(query, false);
    if (!terms.length) return [];
    var stems = terms.map(index.stem);
    var found = [];
    index.items.forEach(function (item, order) {
      var score = 0;
      for (var t = 0; t < terms.length; t++) {
        var s = termScore(item, terms[t], stems[t]);
        if (!s) return;
        score += s;
      }
      found.push({ item: item, score: score, order: order });
    });
    found.sort(function (a, b) { return b.score - a.score || a.order - b.order; });
    return found.map(function (f) { return f.item; });
  }

  // For tests/search.rs, which runs this file in Node.js against the
  // built index: the matcher alone, no page.
  if (typeof module === "object" && module.exports) {
    module.exports = { fold: fold, words: words, prepare: prepare, search: search };
    return;
  }

  var form = document.querySelector("form.search[data-index]");
  if (!form || !window.fetch) return;
  /* The words it writes, in the page's language, from the form's data-
     attributes (the theme's i18n files; English when one is missing). */
  var say = {
    story: form.getAttribute("data-story") || "Story",
    role: form.getAttribute("data-role") || "Role",
    none: form.getAttribute("data-none") || "Nothing matches.",
    first: form.getAttribute("data-first") || ", the first {n} shown.",
    end: form.getAttribute("data-end") || ".",
    unavailable: form.getAttribute("data-unavailable") || "Search is not available here."
  };
  var matches = {};
  try { matches = JSON.parse(form.getAttribute("data-matches") || "{}"); } catch (e) { matches = {}; }
  var lang = document.documentElement.lang || "en";
  var plurals = window.Intl && Intl.PluralRules ? new Intl.PluralRules(lang) : null;
  function number(n) { return n.toLocaleString(lang); }
  /* "3 matches": the form of the count's plural category. */
  function counted(n) {
    var form = (plurals && matches[plurals.select(n)]) || matches.other || (n === 1 ? "{n} match" : "{n} matches");
    return form.replace("{n}", number(n));
  }
  var input = form.querySelector("input[type=search]");
  var status = form.querySelector(".search-status");
  var list = form.querySelector(".search-results");
  var cards = [].slice.call(document.querySelectorAll(".cards .card"));
  var count = document.querySelector(".list-count");
  var source = new URL(form.getAttribute("data-index"), document.baseURI).href;
  var index = null;
  var loading = null;

  function load() {
    if (!loading) {
      loading = fetch(source)
        .then(function (r) { return r.json(); })
        .then(function (data) { index = prepare(data, source); });
    }
    return loading;
  }

  function cardUrl(card) {
    var a = card.querySelector("h3 a[href]") || card.querySelector("a[href]");
    return a ? a.href : "";
  }

  function show() {
    var query = input.value;
    var found = search(index, query);
    var active = words(query, false).length > 0;
    var urls = {};
    found.forEach(function (item) { urls[item.url] = true; });
    cards.forEach(function (card) { card.hidden = active && !urls[cardUrl(card)]; });
    if (count) count.hidden = active;
    list.textContent = "";
    if (!active) {
      status.textContent = "";
      return;
    }
    found.slice(0, LIMIT).forEach(function (item) {
      var li = document.createElement("li");
      var kind = document.createElement("span");
      kind.className = "search-kind";
      kind.textContent = item.kind;
      var a = document.createElement("a");
      a.href = item.url;
      a.textContent = item.title;
      var detail = document.createElement("span");
      detail.className = "muted";
      detail.textContent = item.detail ? " · " + item.detail : "";
      li.appendChild(kind);
      li.appendChild(a);
      li.appendChild(detail);
      list.appendChild(li);
    });
    var n = found.length;
    status.textContent = n === 0 ? say.none :
      counted(n) + (n > LIMIT ? say.first.replace("{n}", number(LIMIT)) : say.end);
  }

  // Offline, or opened from disk (no fetch of file: URLs): say so, and try
  // again on the next keystroke.
  function unavailable() {
    loading = null;
    status.textContent = say.unavailable;
  }

  function run() { load().then(show, unavailable); }
  input.addEventListener("focus", function () { load().catch(function () { loading = null; }); });
  input.addEventListener("input", run);
  form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
  // Typed into before this script ran (it is deferred): search now.
  if (input.value) run();
})();
