// Service worker: serves the app shell and the last pages offline, and wakes the outbox when
// the network returns. It is NOT the queue: unsynced work lives in IndexedDB, written by the app.
// The server replaces __BUILD__ with a hash of this build's wasm, JS and CSS, so every deploy
// installs a fresh shell and drops the old one.
const BUILD = "__BUILD__";
const SHELL = "wuye-shell-" + BUILD;
const PAGES = "wuye-pages";
const SHELL_FILES = [
  "/login",
  "/pkg/wuye.js",
  "/pkg/wuye.wasm",
  "/pkg/wuye.css",
  "/manifest.webmanifest",
  "/icons/icon-192.png",
  "/icons/icon-512.png",
];
const NETWORK_TIMEOUT_MS = 4000;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(SHELL).then((c) => c.addAll(SHELL_FILES)).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(keys.filter((k) => k.startsWith("wuye-shell-") && k !== SHELL).map((k) => caches.delete(k)))
      )
      .then(() => self.clients.claim())
  );
});

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error("timeout")), ms);
    promise.then((v) => { clearTimeout(t); resolve(v); }, (e) => { clearTimeout(t); reject(e); });
  });
}

// Pages: network first (fresh data when online), the last copy of that page when not.
async function page(request) {
  const cache = await caches.open(PAGES);
  try {
    const resp = await withTimeout(fetch(request), NETWORK_TIMEOUT_MS);
    if (resp.ok && !resp.redirected && resp.type === "basic") {
      await cache.put(request.url, resp.clone());
      await cache.put("/__last_page", resp.clone());
    }
    return resp;
  } catch (e) {
    return (
      (await cache.match(request.url)) ||
      (await sameShape(cache, request.url)) ||
      (await cache.match("/__last_page")) ||
      (await caches.match("/login")) ||
      new Response("离线且无缓存页面 / offline, no cached page", {
        status: 503,
        headers: { "content-type": "text/plain; charset=utf-8" },
      })
    );
  }
}

// A record's page never opened online (a round started without signal): any cached page of the
// same kind serves, since these pages render the record from the device's store, not the HTML.
const SAME_SHAPE = [/^\/tech\/jobs\/[0-9a-f-]{36}$/, /^\/patrol\/rounds\/[0-9a-f-]{36}$/, /^\/repairs\/[0-9a-f-]{36}$/];
async function sameShape(cache, href) {
  const path = new URL(href).pathname;
  const shape = SAME_SHAPE.find((re) => re.test(path));
  if (!shape) return undefined;
  for (const req of await cache.keys()) {
    if (shape.test(new URL(req.url).pathname)) return cache.match(req);
  }
  return undefined;
}

// Shell files: from this build's cache; anything else static: cache, then network.
async function asset(request) {
  const hit = await caches.match(request);
  if (hit) return hit;
  const resp = await fetch(request);
  if (resp.ok && resp.type === "basic") {
    const cache = await caches.open(SHELL);
    await cache.put(request, resp.clone());
  }
  return resp;
}

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET") return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/api/")) return; // the app's sync client handles the network
  if (req.mode === "navigate") {
    event.respondWith(page(req));
  } else if (url.pathname.startsWith("/pkg/") || url.pathname.startsWith("/icons/") || url.pathname === "/manifest.webmanifest") {
    event.respondWith(asset(req));
  }
});

// Pages the app will need offline (its open jobs): fetched now, while there is signal, and kept
// like any page visited. Only same-origin paths; at most 50 per message.
async function keepPages(urls) {
  const cache = await caches.open(PAGES);
  for (const u of urls.slice(0, 50)) {
    const url = new URL(u, self.location.origin);
    if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) continue;
    if (await cache.match(url.href)) continue;
    try {
      const resp = await withTimeout(fetch(url.href, { credentials: "same-origin" }), NETWORK_TIMEOUT_MS);
      if (resp.ok && !resp.redirected && resp.type === "basic") await cache.put(url.href, resp);
    } catch (e) {
      return; // signal gone: the rest waits for the next list
    }
  }
}

self.addEventListener("message", (event) => {
  if (event.data === "clear-pages") {
    event.waitUntil(caches.delete(PAGES));
  } else if (event.data && event.data.type === "keep-pages" && Array.isArray(event.data.urls)) {
    event.waitUntil(keepPages(event.data.urls));
  }
});

// Background Sync (where the browser has it): wake the app's outbox.
self.addEventListener("sync", (event) => {
  if (event.tag === "outbox") {
    event.waitUntil(
      self.clients.matchAll({ includeUncontrolled: true }).then((cs) => cs.forEach((c) => c.postMessage("wake-sync")))
    );
  }
});
