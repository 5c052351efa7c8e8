//! Compile-time checks of how templates use each other, on Tera's parsed
//! ASTs, before Tera links them. Tera follows `extends`, `include`, `import`
//! and macro calls by plain recursion, with no depth limit: a template that
//! includes itself, a macro that calls itself, two macro files that import
//! each other, or an `extends` loop that does not come back to where it
//! started overflow the stack (an abort, exit 134) instead of giving an
//! error. So every loop is refused here with the file, line and column of the
//! tag that closes it, and straight chains are bounded in depth.
//!
//! Recursive macros are refused outright, even with a base case: whether one
//! ends depends on the data, and a template is not the place to find out with
//! a crash. The site's data has no deep trees to walk (families are flat
//! lists), so nothing in the built-in themes needs recursion.
//!
//! Every walk here is iterative, so a long chain cannot overflow our stack
//! either. Tera's parsed ASTs carry no positions: tags are found again in the
//! text to point at them.

use crate::diagnostics::{Diagnostic, Sources};
use std::collections::{BTreeMap, BTreeSet};
use tera::ast::{Expr, ExprVal, Node};

/// How deep one page's render may go, in levels: each tag inside another
/// (`if`, `for`, `block`, `filter`), each operator or call inside an
/// expression, each `extends` and `include` costs one, a macro call three.
/// Tera renders every level by recursion, measured at 560 to 860 bytes of
/// stack a level (2 KB a macro call): 500 levels stay under half a megabyte
/// of the 2 MiB a render thread has. The built-in themes need about 20.
pub const MAX_DEPTH: usize = 500;

/// How deep tags and brackets may nest in one template's text, checked
/// before Tera parses it: its parser recurses on both and overflows a 2 MiB
/// stack below 2,000 levels. The built-in themes nest five deep.
pub const MAX_NESTING: usize = 100;

/// How many operators one tag may hold, checked before Tera parses it: a
/// chain of them parses into a tree as deep as the chain, and its parser
/// overflows a 2 MiB stack at 20,000. (Past [`MAX_DEPTH`] the template is
/// refused anyway.)
pub const MAX_OPERATORS: usize = 1000;

/// Functions Tera provides that templates may not call: `get_env` reads the
/// process environment, where CI keeps deploy tokens.
pub const REFUSED_FUNCTIONS: &[&str] = &["get_env"];

/// A template, or a macro of a template.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    Template(String),
    Macro(String, String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Extends,
    Include,
    Import,
    Call,
}

/// Where a use is written, to find it again in the text.
#[derive(Debug, Clone)]
enum Needle {
    /// `{% keyword "name" %}`.
    Tag(&'static str, String),
    /// `namespace::name(`.
    Call(String, String),
}

#[derive(Debug, Clone)]
struct Edge {
    to: usize,
    kind: Kind,
    needle: Needle,
    /// The depth of the use inside its body, in levels (see [`MAX_DEPTH`]).
    at: usize,
}

impl Kind {
    /// What one step costs, in levels (see [`MAX_DEPTH`]).
    fn cost(self) -> usize {
        match self {
            Kind::Call => 3,
            Kind::Extends | Kind::Include | Kind::Import => 1,
        }
    }
}

struct Graph {
    keys: Vec<Key>,
    index: BTreeMap<Key, usize>,
    edges: Vec<Vec<Edge>>,
    /// Per node, the deepest level its body reaches by itself.
    depth: Vec<usize>,
}

impl Graph {
    fn node(&mut self, key: Key) -> usize {
        if let Some(&i) = self.index.get(&key) {
            return i;
        }
        self.keys.push(key.clone());
        self.edges.push(Vec::new());
        self.depth.push(0);
        self.index.insert(key, self.keys.len() - 1);
        self.keys.len() - 1
    }

    fn name(&self, n: usize) -> String {
        match &self.keys[n] {
            Key::Template(t) => t.clone(),
            Key::Macro(file, m) => format!("{m}() in {file}"),
        }
    }

    fn file(&self, n: usize) -> &str {
        match &self.keys[n] {
            Key::Template(t) | Key::Macro(t, _) => t,
        }
    }
}

/// Checks the parsed templates (name -> Tera's parse). `files` maps a
/// template name to its text and the file it came from; `functions` are the
/// ones templates may call. Every problem is pushed to `errors`, located in
/// that file.
pub fn check(
    parsed: &BTreeMap<String, tera::Template>,
    files: &BTreeMap<String, (String, String)>,
    functions: &BTreeSet<&str>,
    sources: &mut Sources,
    errors: &mut Vec<Diagnostic>,
) {
    let before = errors.len();
    let mut g = Graph { keys: Vec::new(), index: BTreeMap::new(), edges: Vec::new(), depth: Vec::new() };
    for (name, t) in parsed {
        let me = g.node(Key::Template(name.clone()));
        let top: Vec<&Node> = t.ast.iter().filter(|n| !matches!(n, Node::MacroDefinition(..))).collect();
        let uses = walk(&top);
        add_edges(&mut g, parsed, me, name, &uses);
        report_uses(name, None, &uses, files, functions, errors);
        // By name: Tera keeps macros in a hash map, and reports must not
        // change from run to run.
        let macros: BTreeMap<&String, _> = t.macros.iter().collect();
        for (m, def) in macros {
            let node = g.node(Key::Macro(name.clone(), m.clone()));
            let uses = walk(&def.body.iter().collect::<Vec<_>>());
            add_edges(&mut g, parsed, node, name, &uses);
            report_uses(name, Some(m), &uses, files, functions, errors);
        }
    }
    // Rendering follows extends, include and calls; loading a template's
    // macros follows import and extends. A loop in either never ends.
    let render = [Kind::Extends, Kind::Include, Kind::Call];
    let cycles = find_cycles(&g, &render);
    let mut load = find_cycles(&g, &[Kind::Import, Kind::Extends]);
    load.retain(|c| c.iter().any(|(_, e)| e.kind == Kind::Import));
    for cycle in cycles.iter().chain(&load) {
        errors.push(cycle_error(&g, cycle, files));
    }
    if cycles.is_empty() && load.is_empty() {
        if let Some((depth, chain)) = deepest(&g, &render) {
            if depth > MAX_DEPTH {
                errors.push(depth_error(&g, &chain, files));
            }
        }
    }
    for e in &errors[before..] {
        if let Some((text, file)) = files.values().find(|(_, f)| *f == e.file) {
            sources.add(file, text);
        }
    }
}

/// What one body (a template outside its macros, or one macro) uses.
#[derive(Default)]
struct Uses {
    /// Each use, with its depth in the body.
    edges: Vec<(Kind, Needle, usize)>,
    functions: BTreeSet<String>,
    /// The deepest level the body reaches, in levels (see [`MAX_DEPTH`]).
    depth: usize,
}

enum Item<'a> {
    Nodes(Vec<&'a Node>),
    Expr(&'a Expr),
    Val(&'a ExprVal),
}

/// Walks a body with an explicit stack (a deeply nested template cannot
/// overflow it), collecting what it extends, includes, imports and calls,
/// and how deep it nests. Each item carries its depth.
fn walk<'a>(body: &[&'a Node]) -> Uses {
    let mut uses = Uses::default();
    let mut stack = vec![(Item::Nodes(body.to_vec()), 0)];
    while let Some((item, d)) = stack.pop() {
        uses.depth = uses.depth.max(d);
        // Past the limit the depth is known to be too much: no need to go on.
        if d > MAX_DEPTH {
            continue;
        }
        let e = |x: &'a Expr| (Item::Expr(x), d + 1);
        match item {
            Item::Nodes(nodes) => {
                for node in nodes {
                    let inner = |b: &'a [Node]| (Item::Nodes(b.iter().collect()), d + 1);
                    let mut tag =
                        |kind, keyword, name: &String| uses.edges.push((kind, Needle::Tag(keyword, name.clone()), d));
                    match node {
                        Node::VariableBlock(_, x) => stack.push(e(x)),
                        Node::Extends(_, name) => tag(Kind::Extends, "extends", name),
                        Node::Include(_, names, _) => names.iter().for_each(|n| tag(Kind::Include, "include", n)),
                        Node::ImportMacro(_, file, _) => tag(Kind::Import, "import", file),
                        Node::Set(_, s) => stack.push(e(&s.value)),
                        Node::FilterSection(_, f, _) => {
                            stack.extend(f.filter.args.values().map(e));
                            stack.push(inner(&f.body));
                        }
                        Node::Block(_, b, _) => stack.push(inner(&b.body)),
                        Node::Forloop(_, f, _) => {
                            stack.push(e(&f.container));
                            stack.push(inner(&f.body));
                            if let Some(b) = &f.empty_body {
                                stack.push(inner(b));
                            }
                        }
                        Node::If(i, _) => {
                            for (_, cond, b) in &i.conditions {
                                stack.push(e(cond));
                                stack.push(inner(b));
                            }
                            if let Some((_, b)) = &i.otherwise {
                                stack.push(inner(b));
                            }
                        }
                        // Macros are walked as their own bodies.
                        Node::MacroDefinition(..)
                        | Node::Super
                        | Node::Text(_)
                        | Node::Raw(..)
                        | Node::Break(_)
                        | Node::Continue(_)
                        | Node::Comment(..) => {}
                    }
                }
            }
            Item::Expr(x) => {
                for f in &x.filters {
                    stack.extend(f.args.values().map(e));
                }
                stack.push((Item::Val(&x.val), d));
            }
            Item::Val(v) => match v {
                ExprVal::Math(m) => stack.extend([e(&m.lhs), e(&m.rhs)]),
                ExprVal::Logic(l) => stack.extend([e(&l.lhs), e(&l.rhs)]),
                ExprVal::In(i) => stack.extend([e(&i.lhs), e(&i.rhs)]),
                ExprVal::Test(t) => stack.extend(t.args.iter().map(e)),
                ExprVal::Array(items) => stack.extend(items.iter().map(e)),
                ExprVal::StringConcat(c) => stack.extend(c.values.iter().map(|v| (Item::Val(v), d + 1))),
                ExprVal::MacroCall(c) => {
                    uses.edges.push((Kind::Call, Needle::Call(c.namespace.clone(), c.name.clone()), d));
                    stack.extend(c.args.values().map(e));
                }
                ExprVal::FunctionCall(f) => {
                    uses.functions.insert(f.name.clone());
                    stack.extend(f.args.values().map(e));
                }
                ExprVal::String(_) | ExprVal::Int(_) | ExprVal::Float(_) | ExprVal::Bool(_) | ExprVal::Ident(_) => {}
            },
        }
    }
    uses
}

fn add_edges(g: &mut Graph, parsed: &BTreeMap<String, tera::Template>, from: usize, file: &str, uses: &Uses) {
    g.depth[from] = uses.depth;
    for (kind, needle, at) in &uses.edges {
        let to = match needle {
            // A missing template is Tera's error to report.
            Needle::Tag(_, name) if parsed.contains_key(name) => Key::Template(name.clone()),
            Needle::Tag(..) => continue,
            Needle::Call(ns, name) => match macro_file(parsed, file, ns, name) {
                Some(f) => Key::Macro(f, name.clone()),
                None => continue,
            },
        };
        let to = g.node(to);
        match g.edges[from].iter_mut().find(|e| e.to == to && e.kind == *kind) {
            Some(e) => e.at = e.at.max(*at),
            None => g.edges[from].push(Edge { to, kind: *kind, needle: needle.clone(), at: *at }),
        }
    }
}

/// The template whose macro `ns::name` a call in `file` reaches, as Tera
/// looks it up: `self` is the file itself; other namespaces are the file's
/// imports, then those its imports and its parents see (breadth first).
fn macro_file(parsed: &BTreeMap<String, tera::Template>, file: &str, ns: &str, name: &str) -> Option<String> {
    let mut queue = std::collections::VecDeque::from([file]);
    let mut seen = BTreeSet::new();
    while let Some(f) = queue.pop_front() {
        if !seen.insert(f) {
            continue;
        }
        let t = parsed.get(f)?;
        if ns == "self" && t.macros.contains_key(name) {
            return Some(f.to_string());
        }
        for (imported, alias) in &t.imported_macro_files {
            if alias == ns && parsed.get(imported).is_some_and(|i| i.macros.contains_key(name)) {
                return Some(imported.clone());
            }
        }
        queue.extend(t.imported_macro_files.iter().map(|(i, _)| i.as_str()));
        queue.extend(t.parent.as_deref());
    }
    None
}

/// Reports the calls of functions not in `known` (what Tera has
/// registered), at compile time rather than on the first page that runs one.
fn report_uses(
    template: &str,
    in_macro: Option<&str>,
    uses: &Uses,
    files: &BTreeMap<String, (String, String)>,
    known: &BTreeSet<&str>,
    errors: &mut Vec<Diagnostic>,
) {
    let Some((text, file)) = files.get(template) else {
        return;
    };
    let from = in_macro.and_then(|m| macro_start(text, m)).unwrap_or(0);
    for f in uses.functions.iter().filter(|f| !known.contains(f.as_str())) {
        let at = find_call(text, from, f);
        let d = Diagnostic::new(file.as_str(), at.map(|o| o..o + f.len()), format!("templates cannot call `{f}()`"));
        errors.push(match f.as_str() {
            f if REFUSED_FUNCTIONS.contains(&f) => {
                d.label("removed: templates run without access to the environment").hint(
                    "the build's environment holds secrets such as deploy tokens; put the value in site.toml \
                     under [extra] and use {{ site.extra.<name> }}",
                )
            }
            "now" | "get_random" => d
                .label("not available: a build depends on its input alone")
                .hint("the same site must build to the same bytes; put dates and choices in the content"),
            _ => d.label("no such function").hint(format!(
                "the functions are: {}",
                known.iter().map(|k| format!("{k}()")).collect::<Vec<_>>().join(", ")
            )),
        });
    }
}

/// Every loop in the graph over edges of `kinds`, each as the edges that
/// form it (from node, edge), found once by an iterative depth-first search.
fn find_cycles(g: &Graph, kinds: &[Kind]) -> Vec<Vec<(usize, Edge)>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    let mut mark = vec![Mark::New; g.keys.len()];
    let mut cycles = Vec::new();
    for start in 0..g.keys.len() {
        if mark[start] != Mark::New {
            continue;
        }
        // (node, next edge to look at); the stack is the current path.
        let mut path: Vec<(usize, usize)> = vec![(start, 0)];
        mark[start] = Mark::Open;
        while let Some(&mut (n, ref mut next)) = path.last_mut() {
            let Some(e) = g.edges[n].get(*next) else {
                mark[n] = Mark::Done;
                path.pop();
                continue;
            };
            *next += 1;
            if !kinds.contains(&e.kind) {
                continue;
            }
            match mark[e.to] {
                Mark::New => {
                    mark[e.to] = Mark::Open;
                    path.push((e.to, 0));
                }
                Mark::Open => {
                    let at = path.iter().position(|&(p, _)| p == e.to).unwrap_or(0);
                    let cycle = path[at..].iter().map(|&(p, k)| (p, g.edges[p][k - 1].clone())).collect();
                    cycles.push(cycle);
                }
                Mark::Done => {}
            }
        }
    }
    cycles
}

/// The deepest render over edges of `kinds` (the graph has no loops): its
/// depth in levels and the nodes it passes through, computed without
/// recursion.
fn deepest(g: &Graph, kinds: &[Kind]) -> Option<(usize, Vec<usize>)> {
    let n = g.keys.len();
    // Post-order: every node after all the nodes it reaches.
    let mut order = Vec::with_capacity(n);
    let mut seen = vec![false; n];
    for start in 0..n {
        if seen[start] {
            continue;
        }
        seen[start] = true;
        let mut stack = vec![(start, 0usize)];
        while let Some(&mut (v, ref mut next)) = stack.last_mut() {
            match g.edges[v].get(*next) {
                Some(e) => {
                    *next += 1;
                    if kinds.contains(&e.kind) && !seen[e.to] {
                        seen[e.to] = true;
                        stack.push((e.to, 0));
                    }
                }
                None => {
                    order.push(v);
                    stack.pop();
                }
            }
        }
    }
    // The deepest level reached from each node, and the next node on the way.
    let mut depth = g.depth.clone();
    let mut succ = vec![usize::MAX; n];
    for &v in &order {
        for e in g.edges[v].iter().filter(|e| kinds.contains(&e.kind)) {
            let through = e.at + e.kind.cost() + depth[e.to];
            if through > depth[v] {
                depth[v] = through;
                succ[v] = e.to;
            }
        }
    }
    let mut v = (0..n).max_by_key(|&v| (depth[v], std::cmp::Reverse(v)))?;
    let mut chain = vec![v];
    while succ[v] != usize::MAX {
        v = succ[v];
        chain.push(v);
    }
    Some((depth[chain[0]], chain))
}

fn cycle_error(g: &Graph, cycle: &[(usize, Edge)], files: &BTreeMap<String, (String, String)>) -> Diagnostic {
    // Reported at the last use, the one that closes the loop.
    let (from, edge) = cycle.last().map(|(f, e)| (*f, e)).expect("a cycle has an edge");
    let names: Vec<String> = cycle.iter().map(|(n, _)| g.name(*n)).chain([g.name(edge.to)]).collect();
    let kinds: BTreeSet<Kind> = cycle.iter().map(|(_, e)| e.kind).collect();
    let itself = cycle.len() == 1;
    let (message, hint) = if kinds.contains(&Kind::Call) {
        (
            if itself {
                format!("macro {} calls itself", g.name(from))
            } else {
                "macros call each other in a loop".to_string()
            },
            "recursive macros are not allowed (a recursion without end would crash the build): \
             write the levels out, or loop over a flat list",
        )
    } else if kinds.contains(&Kind::Import) {
        (
            if itself { format!("{} imports itself", g.name(from)) } else { "templates import each other in a loop".into() },
            "a macro file cannot import itself, directly or through others: use `self::name()` for macros of the same file",
        )
    } else {
        let verb = if kinds.contains(&Kind::Include) { "include" } else { "extend" };
        (
            if itself {
                format!("{} {verb}s itself", g.name(from))
            } else {
                format!("templates {verb} each other in a loop")
            },
            "a template cannot include or extend itself, directly or through others: remove one of these tags",
        )
    };
    located(g, from, &edge.needle, files, message).label(names.join(" -> ")).hint(hint)
}

fn depth_error(g: &Graph, chain: &[usize], files: &BTreeMap<String, (String, String)>) -> Diagnostic {
    let from = chain[0];
    let needle = chain.get(1).and_then(|next| g.edges[from].iter().find(|e| e.to == *next)).map(|e| e.needle.clone());
    let mut names: Vec<String> = chain.iter().map(|&n| g.name(n)).collect();
    if names.len() > 6 {
        let more = format!("({} more)", names.len() - 4);
        names.splice(2..names.len() - 2, [more]);
    }
    // Past the limit a body is not walked further: the depth is a floor.
    let message = format!("templates nest more than {MAX_DEPTH} levels deep");
    let d = match needle {
        Some(n) => located(g, from, &n, files, message),
        None => Diagnostic::new(file_of(g, from, files), None, message),
    };
    d.label(format!("rendering {}", names.join(" -> "))).hint(
        "every tag inside another, operator inside an expression, include and macro call is a level: \
         split long expressions with {% set %}, flatten nested tags, shorten chains of includes and macros",
    )
}

fn file_of(g: &Graph, n: usize, files: &BTreeMap<String, (String, String)>) -> String {
    files.get(g.file(n)).map_or_else(|| format!("templates/{}", g.file(n)), |(_, f)| f.clone())
}

/// A diagnostic at the text of `needle` in node `n`'s file.
fn located(
    g: &Graph,
    n: usize,
    needle: &Needle,
    files: &BTreeMap<String, (String, String)>,
    message: String,
) -> Diagnostic {
    let file = file_of(g, n, files);
    let Some((text, _)) = files.get(g.file(n)) else {
        return Diagnostic::new(file, None, message);
    };
    let from = match &g.keys[n] {
        Key::Macro(_, m) => macro_start(text, m).unwrap_or(0),
        Key::Template(_) => 0,
    };
    let span = match needle {
        Needle::Tag(keyword, name) => find_tag(text, from, keyword, name).map(|o| o..o + name.len()),
        Needle::Call(ns, name) => find_macro_call(text, from, ns, name).map(|(s, e)| s..e),
    };
    Diagnostic::new(file, span, message)
}

/// Where the text of a template first nests tags or brackets more than
/// [`MAX_NESTING`] deep or chains more than [`MAX_OPERATORS`] operators, and
/// what is wrong, found without parsing (Tera's parser would overflow the
/// stack on it). Text between `{% raw %}` and
/// `{% endraw %}`, comments and string literals are skipped.
pub fn too_nested(text: &str) -> Option<(usize, String)> {
    let b = text.as_bytes();
    let (mut tags, mut i) = (0usize, 0usize);
    while i + 1 < b.len() {
        let close: &[u8] = match &b[i..i + 2] {
            b"{{" => b"}}",
            b"{%" => b"%}",
            b"{#" => b"#}",
            _ => {
                i += 1;
                continue;
            }
        };
        let start = i + 2;
        let end = find(b, start, close).unwrap_or(b.len());
        if close == b"#}" {
            i = end + 2;
            continue;
        }
        let inner = &text[start..end];
        let keyword =
            inner.trim_start_matches(['-', ' ', '\t', '\r', '\n']).split(|c: char| !c.is_alphanumeric()).next();
        match keyword.unwrap_or("") {
            "raw" if close == b"%}" => {
                // Up to the `endraw` tag, whatever is between.
                let mut at = end;
                while let Some(t) = find(b, at, b"{%") {
                    let e = find(b, t + 2, b"%}").unwrap_or(b.len());
                    at = e;
                    if text[t + 2..e].trim_matches(['-', ' ', '\t', '\r', '\n']) == "endraw" {
                        break;
                    }
                }
                i = at + 2;
                continue;
            }
            "if" | "for" | "block" | "macro" | "filter" if close == b"%}" => tags += 1,
            k if k.starts_with("end") && close == b"%}" => tags = tags.saturating_sub(1),
            _ => {}
        }
        if tags > MAX_NESTING {
            return Some((i, format!("tags nested more than {MAX_NESTING} deep")));
        }
        // Brackets and operators inside the tag, outside string literals:
        // Tera parses `1 + 1 + ...` into a tree as deep as it is long.
        let (mut depth, mut ops, mut quote, mut word) = (0usize, 0usize, None, 0..0);
        for (k, c) in inner.char_indices() {
            let in_word = quote.is_none() && (c.is_alphanumeric() || c == '_');
            if !in_word && !word.is_empty() {
                ops += usize::from(matches!(&inner[word.clone()], "and" | "or" | "not" | "in" | "is"));
                word = 0..0;
            }
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'' | '`') => quote = Some(c),
                (None, '(' | '[') => depth += 1,
                (None, ')' | ']') => depth = depth.saturating_sub(1),
                (None, '+' | '-' | '*' | '/' | '%' | '~' | '<' | '>' | '=' | '!') => ops += 1,
                _ if in_word && word.is_empty() => word = k..k + c.len_utf8(),
                _ if in_word => word.end = k + c.len_utf8(),
                _ => {}
            }
            if depth > MAX_NESTING {
                return Some((start + k, format!("brackets nested more than {MAX_NESTING} deep")));
            }
            if ops > MAX_OPERATORS {
                return Some((start + k, format!("more than {MAX_OPERATORS} operators in one tag")));
            }
        }
        i = end + 2;
    }
    None
}

fn find(b: &[u8], from: usize, what: &[u8]) -> Option<usize> {
    b.get(from..)?.windows(what.len()).position(|w| w == what).map(|p| from + p)
}

/// The tags of a text from byte `from`: (offset of the tag's content, the
/// content between `{%` and `%}`).
fn tags(text: &str, from: usize) -> impl Iterator<Item = (usize, &str)> {
    let mut at = from.min(text.len());
    std::iter::from_fn(move || {
        let start = at + text.get(at..)?.find("{%")? + 2;
        let end = text[start..].find("%}").map_or(text.len(), |e| start + e);
        at = end;
        Some((start, &text[start..end]))
    })
}

/// Where the definition of macro `name` starts.
fn macro_start(text: &str, name: &str) -> Option<usize> {
    tags(text, 0).find_map(|(o, tag)| {
        let t = tag.trim_start_matches(['-', ' ', '\t', '\r', '\n']);
        let rest = t.strip_prefix("macro")?.trim_start();
        let ident = rest.split(|c: char| !(c.is_alphanumeric() || c == '_')).next()?;
        (ident == name).then_some(o)
    })
}

/// The offset of `name` quoted in a `{% keyword ... %}` tag.
fn find_tag(text: &str, from: usize, keyword: &str, name: &str) -> Option<usize> {
    tags(text, from).chain(tags(text, 0)).find_map(|(o, tag)| {
        let t = tag.trim_start_matches(['-', ' ', '\t', '\r', '\n']);
        t.strip_prefix(keyword)?;
        ['"', '\'', '`'].iter().find_map(|q| tag.find(&format!("{q}{name}{q}")).map(|i| o + i + 1))
    })
}

/// The span of `ns::name` (spaces allowed around `::`).
fn find_macro_call(text: &str, from: usize, ns: &str, name: &str) -> Option<(usize, usize)> {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let search = |from: usize| {
        text[from..].match_indices("::").find_map(|(i, _)| {
            let i = from + i;
            let left = text[..i].trim_end();
            let right = text[i + 2..].trim_start();
            let start = left.trim_end_matches(ident).len();
            let after = text.len() - right.len();
            let end = after + right.find(|c: char| !ident(c)).unwrap_or(right.len());
            (&text[start..left.len()] == ns && &text[after..end] == name).then_some((start, end))
        })
    };
    search(from.min(text.len())).or_else(|| search(0))
}

/// The offset of a call `name(`, not part of a longer name.
fn find_call(text: &str, from: usize, name: &str) -> Option<usize> {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let search = |from: usize| {
        text[from..]
            .match_indices(name)
            .map(|(i, _)| from + i)
            .find(|&i| !text[..i].ends_with(ident) && text[i + name.len()..].trim_start().starts_with('('))
    };
    search(from.min(text.len())).or_else(|| search(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(list: &[(&str, &str)]) -> Vec<Diagnostic> {
        let files: BTreeMap<String, (String, String)> =
            list.iter().map(|(n, t)| (n.to_string(), (t.to_string(), format!("templates/{n}")))).collect();
        let parsed =
            files.iter().map(|(n, (t, _))| (n.clone(), tera::Template::new(n, None, t).expect("parses"))).collect();
        let mut errors = Vec::new();
        check(&parsed, &files, &BTreeSet::from(["range", "throw"]), &mut Sources::default(), &mut errors);
        errors
    }

    #[test]
    fn an_include_of_itself_is_located_at_the_tag() {
        let errors = run(&[("page.html", "Hi\n{% include \"page.html\" %}")]);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].message, "page.html includes itself");
        assert_eq!(errors[0].span, Some(15..24));
    }

    #[test]
    fn loops_through_several_templates_and_macros_are_found() {
        let errors = run(&[
            ("a.html", r#"{% include "b.html" %}"#),
            ("b.html", r#"{% include "c.html" %}"#),
            ("c.html", r#"{% include "b.html" %}"#),
            ("m.html", "{% macro f(n) %}{{ self::g(n=n) }}{% endmacro f %}{% macro g(n) %}{{ self :: f(n=n) }}{% endmacro g %}"),
            ("x.html", r#"{% extends "y.html" %}"#),
            ("y.html", r#"{% extends "x.html" %}"#),
        ]);
        let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "templates include each other in a loop",
                "macros call each other in a loop",
                "templates extend each other in a loop"
            ],
        );
        assert_eq!(errors[0].label.as_deref(), Some("b.html -> c.html -> b.html"));
        assert!(errors[1].span.is_some());
    }

    #[test]
    fn a_recursive_macro_and_an_import_loop_are_refused() {
        let errors = run(&[
            ("tree.html", "{% import \"tree.html\" as t %}{% macro tree(items) %}{% for i in items %}{{ t::tree(items=i.children) }}{% endfor %}{% endmacro tree %}"),
        ]);
        let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(messages, ["macro tree() in tree.html calls itself", "tree.html imports itself"]);
    }

    #[test]
    fn chains_are_bounded_and_walked_without_recursion() {
        let names: Vec<String> = (0..5000).map(|i| format!("t{i}.html")).collect();
        let texts: Vec<String> = (0..5000).map(|i| format!("{{% include \"t{}.html\" %}}", i + 1)).collect();
        let list: Vec<(&str, &str)> = names.iter().zip(&texts).map(|(n, t)| (n.as_str(), t.as_str())).collect();
        let errors = run(&list);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].message, format!("templates nest more than {MAX_DEPTH} levels deep"));
        assert_eq!(errors[0].span, Some(12..19), "at the first include");
        assert!(run(&list[5000 - MAX_DEPTH - 1..]).is_empty());
        assert_eq!(run(&list[5000 - MAX_DEPTH - 2..]).len(), 1);
    }

    #[test]
    fn deep_nesting_is_found_before_parsing() {
        let ok = format!("{}x{}", "{% if a %}".repeat(MAX_NESTING), "{% endif %}".repeat(MAX_NESTING));
        assert_eq!(too_nested(&ok), None);
        assert_eq!(too_nested(&format!("{{% raw %}}{ok}{ok}{{% endraw %}}{{# {ok}{ok} #}}{ok}")), None);
        let deep = format!("{}x{}", "{% if a %}".repeat(20_000), "{% endif %}".repeat(20_000));
        assert_eq!(too_nested(&deep), Some((10 * MAX_NESTING, format!("tags nested more than {MAX_NESTING} deep"))));
        let brackets = format!("{{{{ {}1{} }}}}", "(".repeat(20_000), ")".repeat(20_000));
        let message = format!("brackets nested more than {MAX_NESTING} deep");
        assert_eq!(too_nested(&brackets), Some((3 + MAX_NESTING, message)));
        let ops = format!("{{{{ 1{} }}}}", " or 1".repeat(20_000));
        let message = format!("more than {MAX_OPERATORS} operators in one tag");
        assert_eq!(too_nested(&ops), Some((4 + 5 * MAX_OPERATORS + 3, message)));
        assert_eq!(too_nested(&format!("{{{{ a{} }}}}", " or a".repeat(MAX_OPERATORS))), None);
        assert_eq!(too_nested(&format!("{{{{ \"{}\" }}}}", "(".repeat(500))), None);
    }

    #[test]
    fn get_env_is_refused_where_it_is_called() {
        let errors = run(&[("page.html", "x {{ get_env(name=\"HOME\") }}")]);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].message, "templates cannot call `get_env()`");
        assert_eq!(errors[0].span, Some(5..12));
        let errors = run(&[("page.html", "{% set t = now() %}{{ get_random(end=9) }}{{ nope() }}{{ range(end=2) }}")]);
        let labels: Vec<_> = errors.iter().map(|e| e.label.as_deref().unwrap_or("")).collect();
        let clock = "not available: a build depends on its input alone";
        assert_eq!(labels, [clock, "no such function", clock], "get_random, nope, now");
    }
}
/// Measures what Tera spends on the stack per level, to hold [`MAX_DEPTH`]
/// to its promise: a custom function notes the lowest stack address it is
/// called at, at the bottom of 10 and of 100 levels of each kind.
#[cfg(test)]
mod stack {
    use std::sync::atomic::{AtomicUsize, Ordering};

    static LOW: AtomicUsize = AtomicUsize::new(usize::MAX);

    /// Bytes of stack a render of `t0` used down to its `probe()` call.
    fn used(templates: Vec<(String, String)>) -> usize {
        let mut t = tera::Tera::default();
        t.register_function("probe", |_: &std::collections::HashMap<String, tera::Value>| {
            let x = 0u8;
            LOW.fetch_min(std::ptr::addr_of!(x) as usize, Ordering::SeqCst);
            Ok(tera::Value::from(0))
        });
        t.add_raw_templates(templates).unwrap();
        let run = move || {
            LOW.store(usize::MAX, Ordering::SeqCst);
            let y = 0u8;
            let top = std::ptr::addr_of!(y) as usize;
            t.render("t0", &tera::Context::new()).unwrap();
            top - LOW.load(Ordering::SeqCst)
        };
        std::thread::Builder::new().stack_size(64 << 20).spawn(run).unwrap().join().unwrap()
    }

    /// Template name and text.
    type Set = Vec<(String, String)>;

    /// Per kind of level: its name, its cost in levels, the templates.
    fn kinds(n: usize) -> Vec<(&'static str, usize, Set)> {
        let one = |text: String| vec![("t0".to_string(), text)];
        let chain = |step: &dyn Fn(usize) -> String, last: &str| {
            (0..n).map(|i| (format!("t{i}"), step(i))).chain([(format!("t{n}"), last.to_string())]).collect()
        };
        let macros: String =
            (0..n).map(|i| format!("{{% macro m{i}() %}}{{{{ self::m{}() }}}}{{% endmacro %}}", i + 1)).collect();
        vec![
            ("if", 1, one(format!("{}{{{{ probe() }}}}{}", "{% if true %}".repeat(n), "{% endif %}".repeat(n)))),
            ("for", 1, one(format!("{}{{{{ probe() }}}}{}", "{% for i in [1] %}".repeat(n), "{% endfor %}".repeat(n)))),
            ("math", 1, one(format!("{{{{ probe() + {} }}}}", vec!["1"; n].join("+")))),
            ("include", 1, chain(&|i| format!("{{% include \"t{}\" %}}", i + 1), "{{ probe() }}")),
            (
                "extends",
                1,
                chain(
                    &|i| format!("{{% extends \"t{}\" %}}{{% block b %}}{{{{ super() }}}}{{% endblock %}}", i + 1),
                    "{% block b %}{{ probe() }}{% endblock %}",
                ),
            ),
            (
                "macro",
                3,
                one(format!("{macros}{{% macro m{n}() %}}{{{{ probe() }}}}{{% endmacro %}}{{{{ self::m0() }}}}")),
            ),
        ]
    }

    #[test]
    fn the_depth_limit_keeps_a_render_under_a_mebibyte_of_stack() {
        for ((kind, levels, few), (_, _, many)) in kinds(10).into_iter().zip(kinds(100)) {
            let per_step = (used(many) - used(few)) / 90;
            eprintln!("{kind}: {per_step} bytes a step");
            assert!(per_step <= levels * (1 << 20) / super::MAX_DEPTH, "{kind}: {per_step} bytes a step");
        }
    }
}
