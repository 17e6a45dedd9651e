// Talks to the stand-in's page API under /_standin; every refusal comes back as { error: "..." }.

const PREFIX = "/_standin";

export class ApiError extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

async function call(method, path, body) {
  const options = { method, headers: {} };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(PREFIX + path, options);
  } catch {
    throw new ApiError("Can't reach the stand-in. Is it still running?", 0);
  }
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new ApiError(data.error || `Something went wrong (${response.status}).`, response.status);
  }
  return data;
}

const query = (params) => new URLSearchParams(params).toString();

export const api = {
  people: () => call("GET", "/people"),
  state: (viewer) => call("GET", `/state?${query({ viewer })}`),
  messages: (viewer, channelId) => call("GET", `/channels/${channelId}/messages?${query({ viewer })}`),
  requests: () => call("GET", "/requests"),
  openDm: (viewer) => call("POST", "/dm", { viewer }),
  slash: (viewer, channelId, command, options) =>
    call("POST", "/slash", { viewer, channel_id: channelId, command, options }),
  autocomplete: (viewer, channelId, command, focused, value, options) =>
    call("POST", "/autocomplete", { viewer, channel_id: channelId, command, focused, value, options }),
  click: (viewer, messageId, customId) => call("POST", "/click", { viewer, message_id: messageId, custom_id: customId }),
  select: (viewer, messageId, customId, values) =>
    call("POST", "/select", { viewer, message_id: messageId, custom_id: customId, values }),
  submit: (viewer, interactionId, values) => call("POST", "/submit", { viewer, interaction_id: interactionId, values }),
  say: (viewer, channelId, text) => call("POST", "/say", { viewer, channel_id: channelId, text }),
  demoAction: (name) => call("POST", `/demo-actions/${encodeURIComponent(name)}`, {}),
};

// Calls `onChange` whenever the stand-in reports a change; the browser reconnects by itself.
export function watchChanges(onChange) {
  const events = new EventSource(PREFIX + "/events");
  events.addEventListener("change", () => onChange());
  return events;
}
