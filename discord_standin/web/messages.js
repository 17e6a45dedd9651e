// Draws a channel's messages the way Discord does: author, time, text, embeds, files, buttons and menus.

import { renderMarkdown } from "./markdown.js";
import { renderComponents } from "./components.js";
import { icon } from "./icons.js";

const IMAGE_FILE = /\.(png|jpe?g|gif|webp)$/i;

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function avatar(author) {
  const node = element("div", "avatar", (author.global_name || author.username || "?").slice(0, 1).toUpperCase());
  node.setAttribute("aria-hidden", "true");
  // A steady colour per person, as Discord's default avatars have.
  node.style.setProperty("--hue", String(Number(BigInt(author.id) % 360n)));
  return node;
}

function header(message) {
  const head = element("h3", "message-header");
  const name = message.author.global_name || message.author.username;
  head.append(element("span", "author", name));
  if (message.author.bot) head.append(element("span", "app-tag", "APP"));
  const when = new Date(message.timestamp);
  const time = element("time", "sent-at", when.toLocaleTimeString(undefined, { hour: "numeric", minute: "2-digit" }));
  time.dateTime = message.timestamp;
  time.title = when.toLocaleString();
  head.append(time);
  if (message.edited_timestamp) head.append(element("span", "edited", "(edited)"));
  return head;
}

function usedLine(message, names) {
  const line = element("p", "used");
  const who = names.users[message.used_by] || "someone";
  line.append(element("span", "used-who", who), " used ", element("span", "used-command", message.used));
  return line;
}

function embedNode(embed, names) {
  const node = element("article", "embed");
  if (embed.color !== undefined && embed.color !== null) {
    node.style.borderInlineStartColor = "#" + Number(embed.color).toString(16).padStart(6, "0");
  }
  if (embed.author?.name) node.append(element("p", "embed-author", embed.author.name));
  if (embed.title) {
    const title = element("h4", "embed-title");
    if (embed.url) {
      const link = element("a", "", embed.title);
      Object.assign(link, { href: embed.url, target: "_blank", rel: "noopener noreferrer" });
      title.append(link);
    } else {
      title.textContent = embed.title;
    }
    node.append(title);
  }
  if (embed.description) {
    const description = element("div", "embed-description");
    description.append(renderMarkdown(embed.description, names));
    node.append(description);
  }
  if (embed.fields?.length) {
    const fields = element("dl", "embed-fields");
    for (const field of embed.fields) {
      const box = element("div", field.inline ? "embed-field inline" : "embed-field");
      const name = element("dt", "embed-field-name");
      name.append(renderMarkdown(field.name, names));
      const value = element("dd", "embed-field-value");
      value.append(renderMarkdown(field.value, names));
      box.append(name, value);
      fields.append(box);
    }
    node.append(fields);
  }
  for (const key of ["image", "thumbnail"]) {
    if (embed[key]?.url) {
      const image = element("img", `embed-${key}`);
      Object.assign(image, { src: embed[key].url, alt: "", loading: "lazy" });
      node.append(image);
    }
  }
  const footer = [embed.footer?.text, embed.timestamp && new Date(embed.timestamp).toLocaleString()].filter(Boolean);
  if (footer.length) node.append(element("p", "embed-footer", footer.join(" • ")));
  return node;
}

function attachmentNode(attachment) {
  // The stand-in serves files itself; use its path so the page works under any host name.
  const href = new URL(attachment.url, location.href).pathname;
  const isImage = (attachment.content_type || "").startsWith("image/") || IMAGE_FILE.test(attachment.filename);
  if (isImage) {
    const link = element("a", "attachment-image");
    Object.assign(link, { href, target: "_blank", rel: "noopener" });
    const image = element("img");
    // The bot's description is the image's alt text, as Discord uses it.
    Object.assign(image, { src: href, alt: attachment.description || attachment.filename });
    link.append(image);
    return link;
  }
  const link = element("a", "attachment-file");
  Object.assign(link, { href, download: attachment.filename });
  link.append(element("span", "file-name", attachment.filename));
  link.append(element("span", "file-size", `${Math.max(1, Math.round(attachment.size / 1024))} KB`));
  return link;
}

function ephemeralNote(message, ctx) {
  const note = element("p", "ephemeral-note");
  note.append(icon("eye"), " Only you can see this · ");
  const dismiss = element("button", "link-button", "Dismiss message");
  dismiss.type = "button";
  dismiss.addEventListener("click", () => ctx.onDismiss(message));
  note.append(dismiss);
  return note;
}

export function messageNode(message, ctx) {
  const node = element("li", "message");
  node.id = `message-${message.id}`;
  node.dataset.id = message.id;
  if (message.only_you) node.classList.add("only-you");
  if (message.used) node.append(usedLine(message, ctx.names));
  const row = element("div", "message-row");
  const body = element("div", "message-body");
  body.append(header(message));
  if (message.loading) {
    body.append(element("p", "thinking", `${message.author.global_name || message.author.username} is thinking…`));
  }
  if (message.content) {
    const content = element("div", "content");
    content.append(renderMarkdown(message.content, ctx.names));
    body.append(content);
  }
  for (const embed of message.embeds || []) body.append(embedNode(embed, ctx.names));
  if (message.attachments?.length) {
    const files = element("div", "attachments");
    files.append(...message.attachments.map(attachmentNode));
    body.append(files);
  }
  if (message.components?.length) body.append(renderComponents(message, ctx));
  if (message.only_you) body.append(ephemeralNote(message, ctx));
  row.append(avatar(message.author), body);
  node.append(row);
  return node;
}

// Updates the list in place: only new or changed messages are redrawn, so a screen reader announces just
// those (the list is an aria-live log) and focus inside unchanged messages stays where it is.
export function renderMessages(list, messages, ctx) {
  const scroller = list.parentElement;
  const wasAtBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
  const existing = new Map([...list.children].map((node) => [node.dataset.id, node]));
  const wanted = messages.filter((m) => !ctx.dismissed.has(m.id));
  const keep = new Set(wanted.map((m) => m.id));
  if (!wanted.length) keep.add("empty");
  for (const [id, node] of existing) if (!keep.has(id)) node.remove();
  let previous = null;
  for (const message of wanted) {
    const signature = JSON.stringify([message, ctx.names]);
    let node = existing.get(message.id);
    if (!node || node.dataset.signature !== signature) {
      const fresh = messageNode(message, ctx);
      fresh.dataset.signature = signature;
      if (node) node.replaceWith(fresh);
      node = fresh;
    }
    const expected = previous ? previous.nextSibling : list.firstChild;
    if (expected !== node) list.insertBefore(node, expected);
    previous = node;
  }
  if (!wanted.length && !list.querySelector(".empty")) {
    const empty = element("li", "empty", ctx.emptyText);
    empty.dataset.id = "empty";
    list.append(empty);
  }
  if (wasAtBottom || ctx.scrollToEnd) {
    const toEnd = () => (scroller.scrollTop = scroller.scrollHeight);
    toEnd();
    // Images take their height only once loaded: stay at the end when they do.
    for (const image of list.querySelectorAll("img")) {
      if (!image.complete) image.addEventListener("load", toEnd, { once: true });
    }
  }
}
