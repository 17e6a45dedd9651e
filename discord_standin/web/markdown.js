// Message text as Discord draws it: mentions, timestamps, basic markdown. Built as DOM nodes, never as HTML
// strings, so nothing a bot or a person writes can run as code on the page.

const TIME_STYLES = {
  t: { hour: "numeric", minute: "2-digit" },
  T: { hour: "numeric", minute: "2-digit", second: "2-digit" },
  d: { day: "2-digit", month: "2-digit", year: "numeric" },
  D: { day: "numeric", month: "long", year: "numeric" },
  f: { day: "numeric", month: "long", year: "numeric", hour: "numeric", minute: "2-digit" },
  F: { weekday: "long", day: "numeric", month: "long", year: "numeric", hour: "numeric", minute: "2-digit" },
};

const RELATIVE_UNITS = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
  ["second", 1],
];

export function relativeTime(seconds, now = Date.now() / 1000) {
  const delta = seconds - now;
  const format = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
  for (const [unit, size] of RELATIVE_UNITS) {
    if (Math.abs(delta) >= size || unit === "second") {
      return format.format(Math.round(delta / size), unit);
    }
  }
  return "";
}

export function formatTimestamp(seconds, style = "f") {
  if (style === "R") return relativeTime(seconds);
  return new Intl.DateTimeFormat(undefined, TIME_STYLES[style] || TIME_STYLES.f).format(new Date(seconds * 1000));
}

function timestampNode(seconds, style) {
  const node = document.createElement("time");
  node.className = "timestamp";
  node.dateTime = new Date(seconds * 1000).toISOString();
  node.title = formatTimestamp(seconds, "F");
  node.textContent = formatTimestamp(seconds, style);
  if (style === "R") node.dataset.relative = String(seconds);
  return node;
}

// Relative timestamps ("in 5 minutes") keep moving, as Discord's do.
export function refreshRelativeTimes(root = document) {
  for (const node of root.querySelectorAll("time[data-relative]")) {
    node.textContent = relativeTime(Number(node.dataset.relative));
  }
}

function mentionNode(kind, id, names) {
  const node = document.createElement("span");
  node.className = "mention";
  if (kind === "#") {
    node.textContent = "#" + (names.channels[id] || "unknown-channel");
  } else if (kind === "@&") {
    node.textContent = "@" + (names.roles[id] || "unknown-role");
  } else {
    node.textContent = "@" + (names.users[id] || "unknown-user");
  }
  return node;
}

function linkNode(href, children) {
  const node = document.createElement("a");
  node.href = href;
  node.target = "_blank";
  node.rel = "noopener noreferrer";
  node.append(...children);
  return node;
}

function wrap(tag, children) {
  const node = document.createElement(tag);
  node.append(...children);
  return node;
}

// Inline rules in Discord's order of precedence; each `build` gets the match and returns nodes.
const INLINE_RULES = [
  { re: /^`([^`]+)`/, build: (m) => [wrap("code", [m[1]])] },
  { re: /^<(@!?|#|@&)(\d+)>/, build: (m, names) => [mentionNode(m[1].replace("!", ""), m[2], names)] },
  { re: /^<t:(-?\d+)(?::([tTdDfFR]))?>/, build: (m) => [timestampNode(Number(m[1]), m[2] || "f")] },
  {
    re: /^\[([^\]\n]+)\]\(<?(https?:\/\/[^\s)>]+)>?\)/,
    build: (m, names) => [linkNode(m[2], inline(m[1], names))],
  },
  { re: /^<(https?:\/\/[^\s>]+)>/, build: (m) => [linkNode(m[1], [m[1]])] },
  { re: /^https?:\/\/[^\s<]*[^\s<.,:;"')\]]/, build: (m) => [linkNode(m[0], [m[0]])] },
  { re: /^\*\*\*([\s\S]+?)\*\*\*(?!\*)/, build: (m, names) => [wrap("strong", [wrap("em", inline(m[1], names))])] },
  { re: /^\*\*([\s\S]+?)\*\*(?!\*)/, build: (m, names) => [wrap("strong", inline(m[1], names))] },
  { re: /^__([\s\S]+?)__(?!_)/, build: (m, names) => [wrap("u", inline(m[1], names))] },
  { re: /^\*(?=\S)([\s\S]*?\S)\*(?!\*)/, build: (m, names) => [wrap("em", inline(m[1], names))] },
  { re: /^_(?=\S)([\s\S]*?\S)_(?![\w_])/, build: (m, names) => [wrap("em", inline(m[1], names))] },
  { re: /^~~([\s\S]+?)~~/, build: (m, names) => [wrap("s", inline(m[1], names))] },
  { re: /^\|\|([\s\S]+?)\|\|/, build: (m, names) => [spoiler(inline(m[1], names))] },
  { re: /^\\([*_~`|<>\\#-])/, build: (m) => [m[1]] },
];

function spoiler(children) {
  const node = wrap("span", children);
  node.className = "spoiler";
  node.tabIndex = 0;
  node.setAttribute("role", "button");
  node.setAttribute("aria-label", "Spoiler, press to show");
  const reveal = () => {
    node.classList.add("revealed");
    node.removeAttribute("role");
    node.removeAttribute("aria-label");
  };
  node.addEventListener("click", reveal);
  node.addEventListener("keydown", (event) => (event.key === "Enter" || event.key === " ") && reveal());
  return node;
}

// Plain text runs up to the next character that could start a rule.
const PLAIN = /^[\s\S]+?(?=[*_~`<[|\\]|https?:\/\/|$)/;

export function inline(text, names) {
  const nodes = [];
  let rest = text;
  let plain = "";
  while (rest) {
    let matched = false;
    for (const rule of INLINE_RULES) {
      const m = rule.re.exec(rest);
      if (m) {
        if (plain) {
          nodes.push(plain);
          plain = "";
        }
        nodes.push(...rule.build(m, names));
        rest = rest.slice(m[0].length);
        matched = true;
        break;
      }
    }
    if (!matched) {
      const m = PLAIN.exec(rest);
      const take = m && m[0] ? m[0] : rest[0];
      plain += take;
      rest = rest.slice(take.length);
    }
  }
  if (plain) nodes.push(plain);
  return nodes.map((n) => (typeof n === "string" ? document.createTextNode(n) : n));
}

// Block rules work line by line: headings, subtext, quotes and lists; other lines keep their line breaks.
function blocks(text, names, into) {
  const lines = text.split("\n");
  let list = null;
  let quote = null;
  let paragraph = [];
  const flush = () => {
    if (paragraph.length) {
      const node = document.createElement("div");
      node.className = "md-lines";
      paragraph.forEach((line, index) => {
        if (index) node.append(document.createElement("br"));
        node.append(...inline(line, names));
      });
      into.append(node);
      paragraph = [];
    }
    list = null;
    quote = null;
  };
  for (const line of lines) {
    const heading = /^(#{1,3}) (.+)$/.exec(line);
    const subtext = /^-# (.+)$/.exec(line);
    const quoted = /^> ?(.*)$/.exec(line);
    const item = /^\s*[-*] (.+)$/.exec(line);
    if (subtext) {
      flush();
      into.append(Object.assign(wrap("small", inline(subtext[1], names)), { className: "md-subtext" }));
    } else if (heading) {
      flush();
      into.append(wrap(`h${heading[1].length + 2}`, inline(heading[2], names)));
    } else if (quoted) {
      if (quote) {
        quote.append(document.createElement("br"));
      } else {
        flush();
        quote = document.createElement("blockquote");
        into.append(quote);
      }
      quote.append(...inline(quoted[1], names));
    } else if (item) {
      if (!list) {
        flush();
        list = document.createElement("ul");
        into.append(list);
      }
      list.append(wrap("li", inline(item[1], names)));
    } else {
      if (list || quote) flush();
      paragraph.push(line);
    }
  }
  flush();
}

const CODE_BLOCK = /```(?:[\w+-]*\n)?([\s\S]*?)```/g;

// Renders a message's markdown into a fragment.
export function renderMarkdown(text, names) {
  const fragment = document.createDocumentFragment();
  if (!text) return fragment;
  const textBetween = (start, end) => {
    const part = text.slice(start, end).replace(/^\n|\n$/g, "");
    if (part) blocks(part, names, fragment);
  };
  let last = 0;
  for (const m of text.matchAll(CODE_BLOCK)) {
    textBetween(last, m.index);
    fragment.append(wrap("pre", [wrap("code", [m[1].replace(/\n$/, "")])]));
    last = m.index + m[0].length;
  }
  textBetween(last, text.length);
  return fragment;
}
