// Slash commands typed as text ("/schedule add name:morning days:daily"): what is being typed, what to
// suggest, and Discord's own checks (required options, types, ranges, lengths, choices) before sending.

export const OPTION = {
  SUB_COMMAND: 1,
  GROUP: 2,
  STRING: 3,
  INTEGER: 4,
  BOOLEAN: 5,
  USER: 6,
  CHANNEL: 7,
  ROLE: 8,
  MENTIONABLE: 9,
  NUMBER: 10,
  ATTACHMENT: 11,
};
const MAX_STRING = 6000;
const TYPE_WORDS = {
  3: "text",
  4: "a whole number",
  5: "True or False",
  6: "a person",
  7: "a channel",
  8: "a role",
  9: "a person or role",
  10: "a number",
  11: "a file",
};

// Every runnable command path ("checkin", "schedule add", "partners pair-now") with its options.
export function flattenCommands(commands) {
  const entries = [];
  for (const command of commands) {
    const options = command.options || [];
    const subs = options.filter((o) => o.type === OPTION.SUB_COMMAND || o.type === OPTION.GROUP);
    if (!subs.length) {
      entries.push({ path: command.name, description: command.description, options });
      continue;
    }
    for (const sub of subs) {
      if (sub.type === OPTION.SUB_COMMAND) {
        entries.push({ path: `${command.name} ${sub.name}`, description: sub.description, options: sub.options || [] });
      } else {
        for (const leaf of sub.options || []) {
          const path = `${command.name} ${sub.name} ${leaf.name}`;
          entries.push({ path, description: leaf.description, options: leaf.options || [] });
        }
      }
    }
  }
  return entries.sort((a, b) => a.path.localeCompare(b.path));
}

function matchEntry(body, entries) {
  let best = null;
  for (const entry of entries) {
    if ((body === entry.path || body.startsWith(entry.path + " ")) && (!best || entry.path.length > best.path.length)) {
      best = entry;
    }
  }
  return best;
}

// Reads what is typed so far: the command, the options given, and where the person is typing (`stage`).
export function parseSlash(text, entries) {
  const body = text.slice(1);
  const entry = matchEntry(body, entries);
  if (!entry || body === entry.path) return { stage: "command", typed: body, entry: null };
  const rest = body.slice(entry.path.length);
  const known = new Set(entry.options.map((o) => o.name));
  const tokens = [];
  for (const m of rest.matchAll(/(^|\s)([\w-]+):/g)) {
    if (known.has(m[2])) tokens.push({ name: m[2], start: m.index + m[1].length, valueStart: m.index + m[0].length });
  }
  const given = new Map();
  const repeated = [];
  tokens.forEach((token, index) => {
    const end = index + 1 < tokens.length ? tokens[index + 1].start : rest.length;
    if (given.has(token.name)) repeated.push(token.name);
    given.set(token.name, rest.slice(token.valueStart, end).trim());
  });
  const stray = rest.slice(0, tokens.length ? tokens[0].start : rest.length).trim();
  const parsed = { entry, given, repeated, stray, rest, tokens };
  const unused = entry.options.filter((o) => !given.has(o.name));
  const lastWord = /(\S*)$/.exec(rest)[1];
  const namesLike = (word) => unused.filter((o) => o.name.startsWith(word));
  if (!tokens.length) {
    return { ...parsed, stage: "option-name", partial: stray, choices: namesLike(stray), eager: Boolean(stray) };
  }
  const last = tokens[tokens.length - 1];
  const lastValue = rest.slice(last.valueStart);
  const typingWord = /\s/.test(lastValue) && lastWord && namesLike(lastWord).length;
  if (typingWord) {
    given.set(last.name, lastValue.slice(0, lastValue.length - lastWord.length).trim());
    return { ...parsed, stage: "option-name", partial: lastWord, choices: namesLike(lastWord), eager: true };
  }
  if (/\S\s+$/.test(lastValue)) {
    return { ...parsed, stage: "option-name", partial: "", choices: unused, eager: false };
  }
  const option = entry.options.find((o) => o.name === last.name);
  return { ...parsed, stage: "value", option, current: lastValue.trimStart(), valueStart: last.valueStart };
}

// Text with the option-name or value being typed replaced by the picked one.
export function withPicked(text, parsed, insert) {
  const head = "/" + parsed.entry.path;
  if (parsed.stage === "value") return head + parsed.rest.slice(0, parsed.valueStart) + insert + " ";
  const rest = parsed.partial ? parsed.rest.slice(0, parsed.rest.length - parsed.partial.length) : parsed.rest;
  const spacer = /\s$/.test(head + rest) ? "" : " ";
  return head + rest + spacer + insert;
}

function inRange(option, number) {
  const low = option.min_value;
  const high = option.max_value;
  if ((low !== undefined && number < low) || (high !== undefined && number > high)) {
    if (low !== undefined && high !== undefined) return `${option.name} must be between ${low} and ${high}.`;
    return low !== undefined ? `${option.name} must be at least ${low}.` : `${option.name} must be at most ${high}.`;
  }
  return null;
}

function fromChoices(option, raw, picked) {
  const lower = raw.toLowerCase();
  const choice = option.choices.find((c) => c.name.toLowerCase() === lower || String(c.value) === raw);
  if (choice) return { value: choice.value };
  if (picked && picked.name === raw) return { value: picked.value };
  return { error: `Pick ${option.name} from the list: ${option.choices.map((c) => c.name).join(", ")}.` };
}

// One option's typed text as the value Discord would send, or a sentence saying what to fix.
export function convertOption(option, raw, { picked, pickers }) {
  if (raw === "") return { error: `Give ${option.name} a value, or take it out.` };
  if (option.choices?.length) {
    const chosen = fromChoices(option, raw, picked);
    if (chosen.error || option.type === OPTION.STRING) return chosen;
    raw = String(chosen.value);
  }
  switch (option.type) {
    case OPTION.STRING: {
      const value = option.autocomplete && picked && picked.name === raw ? picked.value : raw;
      const most = option.max_length ?? MAX_STRING;
      if (value.length > most) return { error: `${option.name} takes up to ${most} characters.` };
      if (value.length < (option.min_length ?? 0)) {
        return { error: `${option.name} needs at least ${option.min_length} characters.` };
      }
      return { value };
    }
    case OPTION.INTEGER:
    case OPTION.NUMBER: {
      const whole = option.type === OPTION.INTEGER;
      const valid = whole ? /^-?\d+$/.test(raw) : raw.trim() !== "" && Number.isFinite(Number(raw));
      if (!valid) return { error: `${option.name} needs ${TYPE_WORDS[option.type]}, like 7.` };
      const number = Number(raw);
      const outside = inRange(option, number);
      return outside ? { error: outside } : { value: number };
    }
    case OPTION.BOOLEAN: {
      const word = raw.toLowerCase();
      if (["true", "yes"].includes(word)) return { value: true };
      if (["false", "no"].includes(word)) return { value: false };
      return { error: `${option.name} needs True or False.` };
    }
    case OPTION.USER:
    case OPTION.CHANNEL:
    case OPTION.ROLE: {
      const pool = pickers(option);
      const found = pool.find((p) => p.label === raw || p.label.slice(1) === raw);
      if (!found) return { error: `There's no ${raw} to pick for ${option.name}. Pick one from the list.` };
      return { value: found.label };
    }
    default:
      return { error: `The page can't fill ${TYPE_WORDS[option.type] || "that kind of"} option (${option.name}) yet.` };
  }
}

// The command ready to send, or the first thing to fix, in words a person can act on.
export function checkSlash(text, entries, context) {
  const parsed = parseSlash(text, entries);
  if (!parsed.entry) {
    const typed = parsed.typed.trim();
    const exact = entries.find((e) => e.path === typed);
    if (exact) return finish(exact, new Map(), context);
    const under = entries.filter((e) => e.path.startsWith(typed + " "));
    if (typed && under.length) return { error: `Pick one: ${under.map((e) => "/" + e.path).join(", ")}.` };
    if (!typed) return { error: "Type a command after the /." };
    return { error: `There's no /${typed} here. Type / to see the commands you can use.` };
  }
  if (parsed.stray) {
    const names = parsed.entry.options.map((o) => o.name);
    if (!names.length) return { error: `/${parsed.entry.path} takes no options.` };
    return { error: `"${parsed.stray}" isn't an option. Try one of: ${names.join(", ")} (name, a colon, then the value).` };
  }
  if (parsed.repeated.length) return { error: `Give ${parsed.repeated[0]} only once.` };
  return finish(parsed.entry, parsed.given, context);
}

function finish(entry, given, context) {
  const options = {};
  for (const option of entry.options) {
    const raw = given.get(option.name);
    if (raw === undefined) {
      if (option.required) return { error: `/${entry.path} needs ${option.name}: ${option.description}` };
      continue;
    }
    const converted = convertOption(option, raw, { picked: context.picked.get(option.name), pickers: context.pickers });
    if (converted.error) return { error: converted.error };
    options[option.name] = converted.value;
  }
  return { command: entry.path, options };
}

// The options typed so far that already read well: sent along with an autocomplete request.
export function optionsSoFar(parsed, context) {
  const options = {};
  for (const option of parsed.entry.options) {
    const raw = parsed.given.get(option.name);
    if (raw === undefined || option.name === parsed.option?.name) continue;
    const converted = convertOption(option, raw, { picked: context.picked.get(option.name), pickers: context.pickers });
    if (!converted.error) options[option.name] = converted.value;
  }
  return options;
}

export function describeType(option) {
  return TYPE_WORDS[option.type] || "";
}
