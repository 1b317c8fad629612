// Search page: reads the query and filters from the URL, asks Pagefind, shows the results.
// Pagefind loads only the index chunks a query needs; nothing leaves this site.

const PAGE_SIZE = 10;
// Pagefind keeps a failed load: only a reload tries again.
const UNAVAILABLE = "Die Suche ist gerade nicht verfügbar. Bitte laden Sie die Seite später neu.";
// Both date orders ask for ascending dates, "neueste" reverses them: merged from the index's parts, only the
// ascending order is exact (ratsdok/pagefind_parts.py).
const BY_DATE = { datum: "asc" };

const form = document.getElementById("rd-suche");
const input = document.getElementById("rd-suchbegriff");
const sortSelect = document.getElementById("rd-sortierung");
const status = document.getElementById("rd-suche-status");
const list = document.getElementById("rd-treffer");
const moreButton = document.getElementById("rd-mehr");

// Words that stand in nearly every Drucksache (ratsdok/stop_words.py) narrow nothing down, yet their index
// entries are the heaviest: a query leaves them out, except in a quoted phrase, whose words must stand together.
const TOO_COMMON = new Set((form.dataset.ohne ?? "").split(" ").filter(Boolean));

function searchWords(typed) {
  // German quotation marks („…“, typed or set by a phone's keyboard) mark a phrase too; Pagefind knows only "…".
  const straight = typed.replace(/[„“”]/g, '"');
  if (straight.includes('"')) {
    return { term: straight, leftOut: [] };
  }
  const words = typed.split(/\s+/).filter(Boolean);
  const tooCommon = (word) => {
    const bare = word.toLocaleLowerCase("de").replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "");
    return TOO_COMMON.has(bare) || /^\p{L}?$/u.test(bare); // a single letter would match thousands of words
  };
  return { term: words.filter((word) => !tooCommon(word)).join(" "), leftOut: words.filter(tooCommon) };
}

// A merged index leaves out a word that one of its parts lacks, where one index requires every word it has:
// only pages found for each word of the archive are kept (one search per word, from the chunks already loaded).
async function withEveryWord(pagefind, term, found) {
  const words = term.replace(/"/g, " ").split(/\s+/).filter(Boolean);
  if (indexParts < 2 || words.length < 2) {
    return found;
  }
  let allowed = null;
  for (const word of words) {
    const ids = new Set((await pagefind.search(word)).results.map((result) => result.id));
    if (ids.size > 0) {
      allowed = allowed ? new Set([...allowed].filter((id) => ids.has(id))) : ids;
    }
  }
  return allowed ? found.filter((result) => allowed.has(result.id)) : found;
}

let indexParts = 1;
let results = [];
let shown = 0;
let latest = 0; // number of the newest search: a slower, older one must not overwrite its results

function fillFormFromUrl() {
  const params = new URLSearchParams(window.location.search);
  input.value = params.get(input.name) ?? "";
  for (const select of form.querySelectorAll("select")) {
    // A parameter missing from the URL (or an unknown value) means "alle": back/forward must not keep the last choice.
    const wanted = params.get(select.name) ?? "";
    select.value = [...select.options].some((option) => option.value === wanted) ? wanted : "";
  }
}

function chosenFilters() {
  const filters = {};
  for (const select of form.querySelectorAll("select[data-filter]")) {
    if (select.value) {
      filters[select.dataset.filter] = select.value;
    }
  }
  return filters;
}

function filterSummary() {
  return [...form.querySelectorAll("select[data-filter]")]
    .filter((select) => select.value)
    .map((select) => `${select.labels[0].textContent}: ${select.selectedOptions[0].textContent.replace(/ \(\d+\)$/, "")}`)
    .join(", ");
}

function resultItem(data) {
  const item = document.createElement("li");
  item.className = "rd-treffer__eintrag";
  const link = document.createElement("a");
  link.className = "rd-eintrag__titel";
  link.href = data.url;
  link.textContent = data.meta.title ?? data.url;
  const meta = document.createElement("span");
  meta.className = "rd-eintrag__meta";
  // Same wording as the listings: "Drucksache 14/2048-1 vom 4. Juni 2025 · Art".
  const number = data.meta.nummer && `Drucksache ${data.meta.nummer}`;
  const dated = number && data.meta.datum ? `${number} vom ${data.meta.datum}` : number || (data.meta.datum && `Datum der Drucksache: ${data.meta.datum}`);
  meta.textContent = [dated, data.meta.art].filter(Boolean).join(" · ");
  const excerpt = document.createElement("p");
  excerpt.className = "rd-treffer__auszug";
  excerpt.innerHTML = data.excerpt; // Pagefind escapes the text before it adds <mark>
  item.append(link, meta, excerpt);
  return item;
}

async function showMore(ticket = latest) {
  const batch = results.slice(shown, shown + PAGE_SIZE);
  const loaded = await Promise.all(batch.map((result) => result.data()));
  if (ticket !== latest) {
    return [];
  }
  const items = loaded.map(resultItem);
  list.append(...items);
  shown += batch.length;
  moreButton.hidden = shown >= results.length;
  return items;
}

async function run(pagefind) {
  const ticket = ++latest;
  const typed = input.value.trim();
  const { term, leftOut } = searchWords(typed);
  const filters = chosenFilters();
  const quoted = leftOut.map((word) => `„${word}“`).join(", ");
  if (!term && Object.keys(filters).length === 0) {
    results = [];
    list.replaceChildren();
    moreButton.hidden = true;
    status.textContent = typed
      ? `${quoted} ${leftOut.length === 1 ? "ist" : "sind"} zu allgemein für eine Suche: solche Wörter stehen in fast jeder Drucksache. Bitte geben Sie einen genaueren Suchbegriff ein.`
      : "";
    return;
  }
  const leftOutNote = leftOut.length ? ` Nicht gesucht, weil zu allgemein: ${quoted}.` : "";
  status.textContent = "Suche läuft …";
  moreButton.hidden = true; // its results are about to be replaced
  try {
    const search = await pagefind.search(term || null, { filters, sort: sortSelect.value ? BY_DATE : undefined });
    if (ticket !== latest) {
      return;
    }
    const found = term ? await withEveryWord(pagefind, term, search.results) : search.results;
    if (ticket !== latest) {
      return;
    }
    results = sortSelect.value === "neueste" ? found.reverse() : found;
    shown = 0;
    list.replaceChildren();
    const count = results.length === 1 ? "1 Treffer" : `${results.length.toLocaleString("de-DE")} Treffer`;
    // A query that is one quoted phrase is shown in German quotation marks only, not in both kinds.
    const asTyped = /^"[^"]*"$/.test(term) ? term.slice(1, -1) : term;
    const about = term ? ` für „${asTyped}“` : "";
    const within = filterSummary() ? ` (${filterSummary()})` : "";
    status.textContent = results.length
      ? `${count}${about}${within}.${leftOutNote}`
      : `Keine Treffer${about}${within}.${leftOutNote} Versuchen Sie einen anderen Suchbegriff oder weniger Filter.`;
    // History entries and bookmarks then say what was searched.
    document.title = `${typed ? `„${typed}“` : "Gefilterte Drucksachen"} – ${baseTitle}`;
    await showMore(ticket);
  } catch (error) {
    // E.g. the connection dropped while a part of the index loaded: say so instead of an empty list.
    if (ticket === latest) {
      list.replaceChildren();
      moreButton.hidden = true;
      status.textContent = UNAVAILABLE;
    }
    throw error;
  }
}

const baseTitle = document.title;

async function main() {
  fillFormFromUrl();
  let pagefind;
  try {
    const program = new URL(form.dataset.pagefind, window.location.href);
    pagefind = await import(program.href);
    const base = new URL(`${form.dataset.basis}/`, window.location.href);
    // Without Pagefind's web worker: one program file less to load before the first results.
    await pagefind.options({ baseUrl: base.pathname, noWorker: true });
    // A large archive's index comes in parts (pagefind/teil-2/ …); Pagefind merges their results.
    indexParts = Number(form.dataset.teile ?? "1");
    for (let part = 2; part <= indexParts; part++) {
      await pagefind.mergeIndex(new URL(`teil-${part}/`, program).pathname, { baseUrl: base.pathname });
    }
  } catch (error) {
    status.textContent = UNAVAILABLE;
    throw error;
  }
  form.addEventListener("submit", (event) => {
    // Keep the search in the URL (to share and bookmark), without empty parameters, without a reload.
    event.preventDefault();
    const params = new URLSearchParams();
    for (const [name, value] of new FormData(form)) {
      if (String(value).trim()) {
        params.append(name, String(value).trim());
      }
    }
    const target = `${window.location.pathname}?${params}`;
    if (target === `${window.location.pathname}${window.location.search}`) {
      window.history.replaceState(null, "", target); // the same search again: no new history entry
    } else {
      window.history.pushState(null, "", target);
    }
    run(pagefind);
  });
  // A changed filter or order searches at once (Enter in a list does not submit a form).
  for (const select of form.querySelectorAll("select")) {
    select.addEventListener("change", () => form.requestSubmit());
  }
  window.addEventListener("popstate", () => {
    fillFormFromUrl();
    run(pagefind);
  });
  let loadingMore = false;
  moreButton.addEventListener("click", async () => {
    if (loadingMore) {
      return; // a double click loads the next results once, not the same ones twice
    }
    loadingMore = true;
    try {
      const items = await showMore();
      items[0]?.querySelector("a")?.focus();
    } catch (error) {
      status.textContent = "Weitere Treffer konnten gerade nicht geladen werden. Bitte laden Sie die Seite später neu.";
      throw error;
    } finally {
      loadingMore = false;
    }
  });
  await run(pagefind);
}

main();
