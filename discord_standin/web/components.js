// A message's components: rows of buttons, select menus, and the layout pieces (sections, text, media).

import { renderMarkdown } from "./markdown.js";

const BUTTON_STYLES = { 1: "primary", 2: "secondary", 3: "success", 4: "danger", 5: "link", 6: "premium" };
// User, role, mentionable and channel selects: Discord fills these from the server itself.
const PICKER_KINDS = { 5: "users", 6: "roles", 7: "mentionables", 8: "channels" };

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function buttonNode(button, message, ctx) {
  const label = [button.emoji?.name, button.label].filter(Boolean).join(" ");
  const style = BUTTON_STYLES[button.style] || "secondary";
  if (button.style === 5) {
    const link = element("a", `button button-${style}`, label + " ↗");
    Object.assign(link, { href: button.url, target: "_blank", rel: "noopener noreferrer" });
    return link;
  }
  const node = element("button", `button button-${style}`, label);
  node.type = "button";
  node.disabled = Boolean(button.disabled);
  node.addEventListener("click", () => ctx.onClick(message, button.custom_id, node));
  return node;
}

function selectOptions(menu, ctx) {
  if (menu.type === 3) return (menu.options || []).map((o) => ({ label: o.label, value: o.value, description: o.description }));
  return ctx.pickerOptions(PICKER_KINDS[menu.type]);
}

function selectNode(menu, message, ctx) {
  const box = element("div", "select-box");
  const id = `select-${message.id}-${menu.custom_id}`;
  const select = element("select", "select");
  select.id = id;
  select.setAttribute("aria-label", menu.placeholder || "Make a selection");
  const most = menu.max_values ?? 1;
  select.multiple = most > 1;
  select.disabled = Boolean(menu.disabled);
  if (!select.multiple) {
    const placeholder = element("option", "", menu.placeholder || "Make a selection");
    Object.assign(placeholder, { value: "", disabled: true, selected: true });
    select.append(placeholder);
  }
  for (const option of selectOptions(menu, ctx)) {
    const node = element("option", "", option.description ? `${option.label} — ${option.description}` : option.label);
    node.value = option.value;
    select.append(node);
  }
  const send = () => {
    const values = [...select.selectedOptions].map((o) => o.value).filter(Boolean);
    ctx.onSelect(message, menu.custom_id, values, select);
  };
  if (select.multiple) {
    const done = element("button", "button button-secondary", "Done");
    done.type = "button";
    done.addEventListener("click", send);
    box.append(select, done);
  } else {
    select.addEventListener("change", send);
    box.append(select);
  }
  return box;
}

function mediaImage(url, alt) {
  const image = element("img", "media");
  Object.assign(image, { src: new URL(url, location.href).href, alt: alt || "", loading: "lazy" });
  return image;
}

function componentNode(component, message, ctx) {
  switch (component.type) {
    case 1: {
      const row = element("div", "action-row");
      row.append(...(component.components || []).map((c) => componentNode(c, message, ctx)));
      return row;
    }
    case 2:
      return buttonNode(component, message, ctx);
    case 3:
    case 5:
    case 6:
    case 7:
    case 8:
      return selectNode(component, message, ctx);
    case 9: {
      const section = element("div", "section");
      const texts = element("div", "section-text");
      texts.append(...(component.components || []).map((c) => componentNode(c, message, ctx)));
      section.append(texts);
      if (component.accessory) section.append(componentNode(component.accessory, message, ctx));
      return section;
    }
    case 10: {
      const text = element("div", "text-display");
      text.append(renderMarkdown(component.content || "", ctx.names));
      return text;
    }
    case 11:
      return mediaImage(component.media?.url, component.description);
    case 12: {
      const gallery = element("div", "gallery");
      gallery.append(...(component.items || []).map((item) => mediaImage(item.media?.url, item.description)));
      return gallery;
    }
    case 13:
      return element("p", "file-component", component.file?.url?.replace("attachment://", "") || "a file");
    case 14:
      return element("hr", "separator");
    case 17: {
      const container = element("div", "container");
      if (component.accent_color != null) {
        container.style.borderInlineStartColor = "#" + Number(component.accent_color).toString(16).padStart(6, "0");
      }
      container.append(...(component.components || []).map((c) => componentNode(c, message, ctx)));
      return container;
    }
    default:
      return element("p", "unsupported", `(a component of type ${component.type} the page doesn't draw yet)`);
  }
}

export function renderComponents(message, ctx) {
  const box = element("div", "components");
  box.append(...message.components.map((c) => componentNode(c, message, ctx)));
  return box;
}
