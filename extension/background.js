/* The background: the context-menu entry, and the clips the popup asks for (they go on
 * when the popup closes). Chromium runs it as a service worker, Firefox as a script. */
if (typeof importScripts === "function") {
  importScripts("collect.js", "clip.js");
}

const MENU_ID = "clip-to-clipper";

api.runtime.onInstalled.addListener(() => {
  api.contextMenus.create({
    id: MENU_ID,
    title: "Clip to Clipper",
    contexts: ["page", "selection", "link", "image"],
  });
});

async function showOutcome(result, tabId) {
  const text = result.ok ? "\u2713" : "!";
  await api.action.setBadgeBackgroundColor({ color: result.ok ? "#2e7d32" : "#c62828", tabId });
  await api.action.setBadgeText({ text, tabId });
  await api.action.setTitle({ title: describeResult(result), tabId });
}

api.contextMenus.onClicked.addListener(async (info, tab) => {
  if (info.menuItemId !== MENU_ID || !tab) return;
  // On a link (and no selection) the linked page is clipped; otherwise this page, with
  // the selected text as its first passage.
  const link = info.linkUrl && !info.selectionText ? info.linkUrl : undefined;
  const result = await clipTab(tab.id, link);
  await showOutcome(result, tab.id);
});

api.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (message && message.type === "clip") {
    clipTab(message.tabId).then(async (result) => {
      await showOutcome(result, message.tabId);
      sendResponse(result);
    });
    return true; // the answer comes later
  }
  if (message && message.type === "status") {
    askClipper("/v1/status", {}).then(sendResponse);
    return true;
  }
  return false;
});
