// The request log: what the bot sent to "Discord", newest first, and whether each body kept to Discord's spec.

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function verdict(request) {
  if (request.problems.length) return { text: "breaks Discord's spec", className: "spec-bad" };
  if (request.checked) return { text: "matches Discord's spec", className: "spec-good" };
  return { text: "no body to check", className: "spec-none" };
}

function statusClass(status) {
  if (!status) return "status-pending";
  if (status < 300) return "status-ok";
  return status < 500 ? "status-refused" : "status-failed";
}

function requestNode(request) {
  const item = element("li", "request");
  const details = element("details");
  const summary = element("summary", "request-summary");
  const check = verdict(request);
  summary.append(
    element("span", "request-method", request.method),
    element("span", "request-path", request.path),
    element("span", `request-status ${statusClass(request.status)}`, request.status ? String(request.status) : "…"),
    element("span", `request-spec ${check.className}`, check.text),
  );
  details.append(summary);
  if (request.template) details.append(element("p", "request-template", `Route: ${request.template}`));
  if (request.problems.length) {
    const problems = element("ul", "request-problems");
    problems.append(...request.problems.map((p) => element("li", "", p)));
    details.append(problems);
  }
  const body = request.body === null ? "(no body)" : JSON.stringify(request.body, null, 2);
  details.append(element("pre", "request-body", body));
  item.append(details);
  return item;
}

export class RequestLog {
  constructor({ details, list, count, load }) {
    Object.assign(this, { details, list, count, load });
    this.nodes = new Map();
    details.addEventListener("toggle", () => details.open && this.refresh());
  }

  setCount(total) {
    this.count.textContent = `(${total})`;
  }

  // Only fetched while open: the log can be long and most people never look.
  async refresh() {
    if (!this.details.open) return;
    const { total, requests } = await this.load();
    this.setCount(total);
    const keep = new Set();
    let previous = null;
    for (const request of requests) {
      const key = String(request.index);
      const signature = `${request.status}|${request.checked}|${request.problems.length}`;
      keep.add(key);
      let node = this.nodes.get(key);
      if (!node || node.dataset.signature !== signature) {
        const fresh = requestNode(request);
        fresh.dataset.signature = signature;
        if (node) {
          fresh.querySelector("details").open = node.querySelector("details").open;
          node.replaceWith(fresh);
        }
        node = fresh;
        this.nodes.set(key, node);
      }
      const expected = previous ? previous.nextSibling : this.list.firstChild;
      if (expected !== node) this.list.insertBefore(node, expected);
      previous = node;
    }
    for (const [key, node] of this.nodes) {
      if (!keep.has(key)) {
        node.remove();
        this.nodes.delete(key);
      }
    }
  }
}
