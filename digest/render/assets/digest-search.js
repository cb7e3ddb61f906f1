// digest's site search: Pagefind's static, chunked index (written by `digest build` into
// pagefind/ at the site root). Nothing is fetched from another host; the site root is found
// from this script's own address, so the search works under any subpath.
(() => {
  "use strict";
  const script = document.currentScript;
  if (!script) return;
  const root = new URL("../", script.src);  // this file is <root>/assets/digest-search.js
  let loading = null;

  // The index is in bundles (pagefind/NN/, listed in pagefind/bundles.json), each holding a
  // share of the pages so that a rebuild indexes again only the bundles it touched: the first
  // is loaded, the others merged into it (Pagefind's mergeIndex).
  async function open() {
    const listing = await fetch(new URL("pagefind/bundles.json", root)).then((r) => r.json());
    const bundles = listing.bundles.map((b) => new URL(`pagefind/${b}`, root));
    if (!bundles.length) return null;
    const pagefind = await import(new URL("pagefind.js", bundles[0]).href);
    await pagefind.options({ baseUrl: root.pathname, excerptLength: 24 });
    for (const bundle of bundles.slice(1)) {
      await pagefind.mergeIndex(bundle.href, { baseUrl: root.pathname });
    }
    await pagefind.init();
    return pagefind;
  }

  function load() {
    loading = loading || open();
    return loading;
  }

  // Pagefind's excerpt is HTML with <mark> around the matches: keep the marks, make the rest
  // text (DOMParser runs no scripts), so an indexed page can never inject markup here.
  function excerpt(html) {
    const out = document.createElement("span");
    const doc = new DOMParser().parseFromString(`<body>${html}</body>`, "text/html");
    for (const node of doc.body.childNodes) {
      if (node.nodeName === "MARK") {
        const mark = document.createElement("mark");
        mark.textContent = node.textContent;
        out.append(mark);
      } else {
        out.append(document.createTextNode(node.textContent));
      }
    }
    return out;
  }

  function show(list, results, query) {
    const items = results.map((data) => {
      const li = document.createElement("li");
      li.className = "dg-search__result";
      const link = document.createElement("a");
      link.href = data.url;
      link.textContent = (data.meta && data.meta.title) || data.url;
      const text = document.createElement("p");
      text.append(excerpt(data.excerpt || ""));
      li.append(link, text);
      return li;
    });
    if (!items.length) {
      const li = document.createElement("li");
      li.className = "dg-search__empty";
      li.textContent = `Nothing found for “${query}”.`;
      items.push(li);
    }
    list.replaceChildren(...items);
    list.hidden = false;
  }

  for (const box of document.querySelectorAll(".dg-search")) {
    const input = box.querySelector("input");
    const list = box.querySelector("ol");
    let latest = 0;
    input.addEventListener("focus", load, { once: true });
    input.addEventListener("input", async () => {
      const query = input.value.trim();
      const mine = ++latest;
      if (!query) {
        list.hidden = true;
        list.replaceChildren();
        return;
      }
      const pagefind = await load();
      if (pagefind === null) {  // nothing indexed
        if (mine === latest) show(list, [], query);
        return;
      }
      const search = await pagefind.debouncedSearch(query, {}, 80);
      if (search === null || mine !== latest) return;  // a newer query took over
      const results = await Promise.all(search.results.slice(0, 12).map((r) => r.data()));
      if (mine === latest) show(list, results, query);
    });
    input.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        input.value = "";
        list.hidden = true;
        list.replaceChildren();
      }
    });
  }
})();
