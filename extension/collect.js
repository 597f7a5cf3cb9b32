/* Runs inside the page (chrome.scripting.executeScript with `func`), so it must not
 * use anything outside itself. It returns what Clipper needs: the rendered document
 * after the page's scripts ran, the selection as a W3C TextQuoteSelector, and the
 * images the page loaded, with their bytes where the page's own origin can read them
 * (the rest are read by the extension, else sent as URLs only). */
async function clipperCollectPage() {
  const LIMITS = { images: 100, imageBytes: 20 * 1024 * 1024, totalBytes: 40 * 1024 * 1024 };
  const CONTEXT = 32;

  function squash(text) {
    return text.replace(/\s+/g, " ");
  }

  function quoteSelector() {
    const selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
    const range = selection.getRangeAt(0);
    const exact = squash(selection.toString()).trim();
    if (!exact) return null;
    const before = document.createRange();
    before.selectNodeContents(document.body);
    before.setEnd(range.startContainer, range.startOffset);
    const after = document.createRange();
    after.selectNodeContents(document.body);
    after.setStart(range.endContainer, range.endOffset);
    return {
      type: "TextQuoteSelector",
      exact,
      prefix: squash(before.toString()).slice(-CONTEXT).trimStart(),
      suffix: squash(after.toString()).slice(0, CONTEXT).trimEnd(),
    };
  }

  function httpUrl(value) {
    try {
      const url = new URL(value, document.baseURI);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (error) {
      return null;
    }
  }

  function urlsOf(img) {
    const urls = [img.currentSrc, img.src];
    for (const candidate of (img.getAttribute("srcset") || "").split(",")) {
      urls.push(candidate.trim().split(/\s+/)[0]);
    }
    const picture = img.closest("picture");
    if (picture) {
      for (const source of picture.querySelectorAll("source[srcset]")) {
        for (const candidate of source.getAttribute("srcset").split(",")) {
          urls.push(candidate.trim().split(/\s+/)[0]);
        }
      }
    }
    return [...new Set(urls.filter(Boolean).map(httpUrl).filter(Boolean))].slice(0, 16);
  }

  function base64(blob) {
    return new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result).split(",", 2)[1] || "");
      reader.onerror = () => reject(reader.error);
      reader.readAsDataURL(blob);
    });
  }

  let total = 0;
  async function readable(url) {
    try {
      const response = await fetch(url, { cache: "force-cache", credentials: "include" });
      if (!response.ok) return null;
      const blob = await response.blob();
      if (!blob.type.startsWith("image/") || blob.size > LIMITS.imageBytes) return null;
      if (total + blob.size > LIMITS.totalBytes) return null;
      total += blob.size;
      return await base64(blob);
    } catch (error) {
      return null; // another origin without CORS: the extension tries, else Clipper fetches
    }
  }

  const seen = new Set();
  const images = [];
  for (const img of document.images) {
    if (images.length >= LIMITS.images) break;
    if (!img.complete || img.naturalWidth <= 48 || img.naturalHeight <= 48) continue;
    const urls = urlsOf(img);
    if (!urls.length || seen.has(urls[0])) continue;
    seen.add(urls[0]);
    images.push({ urls, data: await readable(urls[0]) });
  }

  const doctype = document.doctype ? `<!DOCTYPE ${document.doctype.name}>\n` : "";
  return {
    url: location.href,
    title: document.title,
    html: doctype + document.documentElement.outerHTML,
    selection: quoteSelector(),
    images,
  };
}
