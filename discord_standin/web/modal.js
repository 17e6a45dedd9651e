// A form (modal) the bot opened, as a dialog: text inputs, radio and checkbox groups, selects. Discord's
// rules (required, lengths, how many to pick) are checked before anything is sent, as Discord's client does.

import { renderMarkdown } from "./markdown.js";

const PICKER_KINDS = { 5: "users", 6: "roles", 7: "mentionables", 8: "channels" };

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

let fieldCount = 0;

// Each field knows how to read its answer and check it; `check` returns a sentence or "".
function textField(component, label, description) {
  const id = `field-${++fieldCount}`;
  const box = element("div", "field");
  const labelNode = element("label", "field-label", label);
  labelNode.htmlFor = id;
  const required = component.required ?? true;
  if (required) labelNode.append(element("span", "required-mark", " *"));
  box.append(labelNode);
  if (description) box.append(element("p", "field-description", description));
  const input = element(component.style === 2 ? "textarea" : "input", "field-input");
  input.id = id;
  if (component.style !== 2) input.type = "text";
  if (component.placeholder) input.placeholder = component.placeholder;
  if (component.value) input.value = component.value;
  if (component.max_length) input.maxLength = component.max_length;
  input.required = required;
  box.append(input);
  const least = component.min_length ?? 0;
  const most = component.max_length ?? 4000;
  return {
    box,
    focusTarget: input,
    customId: component.custom_id,
    read: () => input.value,
    check: () => {
      const length = input.value.length;
      if (required && !length) return "This field is required.";
      if (length && length < least) return `Needs at least ${least} characters (now ${length}).`;
      if (length > most) return `Keep it to ${most} characters (now ${length}).`;
      return "";
    },
  };
}

function choiceGroup(component, label, description, kind) {
  const box = element("fieldset", "field choice-group");
  const legend = element("legend", "field-label", label);
  const required = component.required ?? true;
  if (required) legend.append(element("span", "required-mark", " *"));
  box.append(legend);
  if (description) box.append(element("p", "field-description", description));
  const name = `group-${++fieldCount}`;
  const inputs = (component.options || []).map((option) => {
    const row = element("label", "choice");
    const input = element("input");
    Object.assign(input, { type: kind, name, value: option.value, checked: Boolean(option.default) });
    row.append(input, element("span", "choice-label", option.label));
    if (option.description) row.append(element("span", "choice-description", option.description));
    box.append(row);
    return input;
  });
  const picked = () => inputs.filter((i) => i.checked).map((i) => i.value);
  const least = component.min_values ?? (required ? 1 : 0);
  const most = component.max_values ?? inputs.length;
  return {
    box,
    focusTarget: inputs[0],
    customId: component.custom_id,
    read: () => (kind === "radio" ? (picked()[0] ?? null) : picked()),
    check: () => {
      const count = picked().length;
      if (kind === "radio") return required && !count ? "Pick one." : "";
      if (required && !count) return "Pick at least one.";
      if (count && count < least) return `Pick at least ${least}.`;
      if (count > most) return `Pick up to ${most}.`;
      return "";
    },
  };
}

function singleCheckbox(component, label, description) {
  const box = element("div", "field");
  const row = element("label", "choice");
  const input = element("input");
  Object.assign(input, { type: "checkbox", checked: Boolean(component.default) });
  row.append(input, element("span", "choice-label", label));
  box.append(row);
  if (description) box.append(element("p", "field-description", description));
  return { box, focusTarget: input, customId: component.custom_id, read: () => input.checked, check: () => "" };
}

function selectField(component, label, description, pickerOptions) {
  const id = `field-${++fieldCount}`;
  const box = element("div", "field");
  const labelNode = element("label", "field-label", label);
  labelNode.htmlFor = id;
  const required = component.required ?? true;
  if (required) labelNode.append(element("span", "required-mark", " *"));
  box.append(labelNode);
  if (description) box.append(element("p", "field-description", description));
  const select = element("select", "field-input");
  select.id = id;
  const most = component.max_values ?? 1;
  const least = component.min_values ?? 1;
  select.multiple = most > 1;
  if (!select.multiple) {
    const placeholder = element("option", "", component.placeholder || "Make a selection");
    placeholder.value = "";
    select.append(placeholder);
  }
  const options = component.type === 3 ? component.options || [] : pickerOptions(PICKER_KINDS[component.type]);
  for (const option of options) {
    const node = element("option", "", option.label);
    Object.assign(node, { value: option.value, selected: Boolean(option.default) });
    select.append(node);
  }
  box.append(select);
  const picked = () => [...select.selectedOptions].map((o) => o.value).filter(Boolean);
  return {
    box,
    focusTarget: select,
    customId: component.custom_id,
    read: picked,
    check: () => {
      const count = picked().length;
      if (required && !count) return "This field is required.";
      if (count && count < least) return `Pick at least ${least}.`;
      if (count > most) return `Pick up to ${most}.`;
      return "";
    },
  };
}

function fieldFor(component, label, description, pickerOptions) {
  switch (component.type) {
    case 4:
      return textField(component, label, description);
    case 21:
      return choiceGroup(component, label, description, "radio");
    case 22:
      return choiceGroup(component, label, description, "checkbox");
    case 23:
      return singleCheckbox(component, label, description);
    case 3:
    case 5:
    case 6:
    case 7:
    case 8:
      return selectField(component, label, description, pickerOptions);
    default:
      return null;
  }
}

function showProblem(field, problem) {
  field.box.querySelector(".field-error")?.remove();
  const target = field.focusTarget;
  const group = field.box.tagName === "FIELDSET" ? field.box : target;
  if (!problem) {
    group?.removeAttribute("aria-invalid");
    group?.removeAttribute("aria-describedby");
    return;
  }
  const note = element("p", "field-error", problem);
  note.id = `error-${++fieldCount}`;
  field.box.append(note);
  group?.setAttribute("aria-invalid", "true");
  group?.setAttribute("aria-describedby", note.id);
}

// Opens the form; `onSubmit(values)` sends it and throws to keep the form open with the problem shown.
export function openModal(dialog, modal, { names, pickerOptions, onSubmit, returnTo = document.activeElement }) {
  dialog.replaceChildren();
  const form = element("form", "modal-form");
  form.noValidate = true; // Discord's rules are checked below, with Discord-like messages
  const title = element("h2", "modal-title", modal.title);
  title.id = "modal-title";
  form.append(title);
  const fields = [];
  const add = (field) => {
    if (!field) return;
    fields.push(field);
    form.append(field.box);
  };
  for (const row of modal.components || []) {
    if (row.type === 18) {
      add(fieldFor(row.component, row.label, row.description, pickerOptions));
    } else if (row.type === 1) {
      for (const inner of row.components || []) {
        add(fieldFor(inner, inner.label || "", "", pickerOptions));
      }
    } else if (row.type === 10) {
      const text = element("div", "modal-text");
      text.append(renderMarkdown(row.content || "", names));
      form.append(text);
    }
  }
  const problem = element("p", "modal-problem");
  problem.setAttribute("role", "alert");
  const buttons = element("div", "modal-buttons");
  const cancel = element("button", "button button-link", "Cancel");
  cancel.type = "button";
  const submit = element("button", "button button-primary", "Submit");
  submit.type = "submit";
  buttons.append(cancel, submit);
  form.append(problem, buttons);
  dialog.append(form);

  const close = () => dialog.close();
  cancel.addEventListener("click", close);
  dialog.addEventListener("close", () => returnTo?.focus?.(), { once: true });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    problem.textContent = "";
    const problems = fields.map((field) => field.check());
    fields.forEach((field, index) => showProblem(field, problems[index]));
    const first = problems.findIndex(Boolean);
    if (first >= 0) return fields[first].focusTarget?.focus();
    const values = Object.fromEntries(fields.map((field) => [field.customId, field.read()]));
    submit.disabled = true;
    try {
      await onSubmit(values);
      close();
    } catch (error) {
      problem.textContent = error.message;
    } finally {
      submit.disabled = false;
    }
  });
  dialog.showModal();
  (fields[0]?.focusTarget || submit).focus();
}
