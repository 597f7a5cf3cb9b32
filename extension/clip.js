/* Clipping a tab: collect the page in the tab, read the images the page could not,
 * post it all to Clipper's loopback endpoint, remember the outcome for the popup.
 * Shared by the background (context menu, popup requests) in Chromium and Firefox. */
const api = globalThis.browser ?? globalThis.chrome;
const DEFAULT_PORT = 38431;
const EXTENSION_IMAGE_BYTES = 20 * 1024 * 1024;

async function clipperSettings() {
  return api.storage.local.get({ code: "", port: DEFAULT_PORT });
}

function endpoint(port, path) {
  return `http://127.0.0.1:${port}${path}`;
}

async function askClipper(path, payload) {
  const { code, port } = await clipperSettings();
  if (!code) {
    return { ok: false, error: "Not paired: enter the pairing code Clipper shows." };
  }
  let response;
  try {
    response = await fetch(endpoint(port, path), {
      method: "POST", // browsers send the extension's Origin with a POST, not a GET
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${code}` },
      body: JSON.stringify(payload),
    });
  } catch (error) {
    return {
      ok: false,
      error: `Clipper is not running on port ${port} (open the app, or run clipper serve).`,
    };
  }
  try {
    return await response.json();
  } catch (error) {
    return { ok: false, error: `Clipper answered HTTP ${response.status}.` };
  }
}

async function readImage(url) {
  /* The extension may read other origins' images (host permission) that the page could
   * not; what it cannot read either is sent as a URL for Clipper to fetch. */
  try {
    const response = await fetch(url, { credentials: "include" });
    if (!response.ok) return null;
    const blob = await response.blob();
    if (!blob.type.startsWith("image/") || blob.size > EXTENSION_IMAGE_BYTES) return null;
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let binary = "";
    for (let i = 0; i < bytes.length; i += 0x8000) {
      binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    return btoa(binary);
  } catch (error) {
    return null;
  }
}

async function collectTab(tabId) {
  const [injection] = await api.scripting.executeScript({
    target: { tabId },
    func: clipperCollectPage,
  });
  const page = injection && injection.result;
  if (!page || !page.html) throw new Error("the page could not be read");
  for (const image of page.images) {
    if (image.data === null) image.data = await readImage(image.urls[0]);
  }
  return page;
}

async function clipTab(tabId, linkUrl) {
  /* A link is clipped by URL (Clipper fetches it); anything else as the tab shows it. */
  let payload;
  let result;
  try {
    payload = linkUrl ? { url: linkUrl, title: "" } : await collectTab(tabId);
    result = await askClipper("/v1/clip", payload);
  } catch (error) {
    result = { ok: false, error: `Cannot read this page: ${error.message || error}` };
  }
  const last = { ...result, page: payload ? payload.url : "", at: Date.now() };
  await api.storage.local.set({ last });
  return last;
}

function describeResult(result) {
  if (!result.ok) return `Failed: ${result.error}`;
  const word = {
    new: "Clipped",
    updated: "Clipped a new version",
    unchanged: "Already in Clipper (unchanged)",
  }[result.status] || "Clipped";
  return `${word}: ${result.title || result.url}`;
}
