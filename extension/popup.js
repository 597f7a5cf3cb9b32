/* The toolbar popup: clips the current tab as soon as it opens (the background does the
 * work, so closing the popup does not stop it), shows the outcome, and pairs the
 * extension with Clipper. `popup.html?url=...` clips the open tab with that address. */
/* `api` and `describeResult` come from clip.js. */
const $ = (id) => document.getElementById(id);

function show(result, text) {
  const box = $("outcome");
  box.className = "outcome " + (result === null ? "" : result.ok ? "ok" : "failed");
  box.textContent = text;
  const detail = [];
  if (result && result.ok && result.highlight_id) detail.push("The selection is its first passage.");
  if (result && result.warnings && result.warnings.length) detail.push(result.warnings[0]);
  $("detail").textContent = detail.join(" ");
}

async function targetTab() {
  const wanted = new URLSearchParams(location.search).get("url");
  if (wanted) {
    const tabs = await api.tabs.query({});
    return tabs.find((tab) => tab.url === wanted) || null;
  }
  const [tab] = await api.tabs.query({ active: true, currentWindow: true });
  return tab || null;
}

async function clip() {
  const tab = await targetTab();
  if (!tab || !/^https?:/.test(tab.url || "")) {
    show(null, "Open a web page to clip it.");
    return;
  }
  $("clip").disabled = true;
  show(null, `Clipping ${tab.title || tab.url}…`);
  const result = await api.runtime.sendMessage({ type: "clip", tabId: tab.id });
  $("clip").disabled = false;
  show(result, describeResult(result));
  if (!result.ok && /pair/i.test(result.error)) $("pairing").open = true;
}

async function pair(event) {
  event.preventDefault();
  const code = $("code").value.trim();
  const port = Number($("port").value) || 38431;
  await api.storage.local.set({ code, port });
  const status = await api.runtime.sendMessage({ type: "status" });
  $("pair-status").textContent = status.ok
    ? `Paired with Clipper ${status.version} (${status.library}).`
    : `Not paired: ${status.error}`;
  if (status.ok) await clip();
}

async function start() {
  const settings = await api.storage.local.get({ code: "", port: 38431 });
  $("code").value = settings.code;
  $("port").value = settings.port;
  $("pair-form").addEventListener("submit", pair);
  $("clip").addEventListener("click", clip);
  if (!settings.code) {
    $("pairing").open = true;
    show(null, "Pair with Clipper first: enter the code Clipper shows.");
    return;
  }
  await clip();
}

start();
