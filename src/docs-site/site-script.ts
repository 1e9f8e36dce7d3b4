// The site's one script, inlined in the page: clicking a graph node or a search result shows
// that node's documentation; the search box finds nodes by name. It builds elements with
// textContent only, so no name or description can ever become markup.

export const SITE_SCRIPT = `(() => {
  const docs = new Map([...document.querySelectorAll('article.node-doc')].map((doc) => [doc.dataset.nodeId, doc]));
  const graphNodes = [...document.querySelectorAll('#lineage .graph-node')];
  const intro = document.getElementById('intro');
  function show(id) {
    if (!docs.has(id)) return;
    for (const [key, doc] of docs) doc.hidden = key !== id;
    intro.hidden = true;
    for (const node of graphNodes) {
      const selected = node.dataset.nodeId === id;
      node.classList.toggle('selected', selected);
      node.setAttribute('aria-pressed', String(selected));
    }
    const shown = graphNodes.find((node) => node.dataset.nodeId === id);
    if (shown) shown.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    if (decodeURIComponent(location.hash.slice(1)) !== id) history.replaceState(null, '', '#' + encodeURIComponent(id));
  }
  for (const node of graphNodes) {
    node.addEventListener('click', () => show(node.dataset.nodeId));
    node.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        show(node.dataset.nodeId);
      }
    });
  }
  document.addEventListener('click', (event) => {
    const link = event.target.closest('[data-show]');
    if (link) {
      event.preventDefault();
      show(link.dataset.show);
    }
  });
  const search = document.getElementById('search');
  const results = document.getElementById('search-results');
  const entries = graphNodes.map((node) => ({ id: node.dataset.nodeId, name: node.dataset.name, kind: node.dataset.kind }));
  function find() {
    const query = search.value.trim().toLowerCase();
    results.replaceChildren();
    if (query === '') return;
    const matches = entries
      .filter((entry) => entry.name.toLowerCase().includes(query))
      .sort((a, b) => Number(!a.name.toLowerCase().startsWith(query)) - Number(!b.name.toLowerCase().startsWith(query)) || a.name.localeCompare(b.name))
      .slice(0, 20);
    if (matches.length === 0) {
      const none = document.createElement('li');
      none.className = 'no-match';
      none.textContent = 'No model, seed, snapshot, source or exposure matches';
      results.append(none);
      return;
    }
    for (const entry of matches) {
      const item = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset.show = entry.id;
      button.textContent = entry.name;
      const kind = document.createElement('span');
      kind.className = 'kind';
      kind.textContent = entry.kind;
      button.append(' ', kind);
      item.append(button);
      results.append(item);
    }
  }
  search.addEventListener('input', find);
  search.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      const first = results.querySelector('[data-show]');
      if (first) show(first.dataset.show);
    }
  });
  const start = decodeURIComponent(location.hash.slice(1));
  if (start) show(start);
})();
`;
