// An accessible autocomplete (WAI-ARIA 1.2 combobox with a listbox popup): type to search,
// ArrowDown/ArrowUp to move, Enter to pick, Escape to close; the mouse works too.

let uid = 0;

export class Combobox {
  /**
   * @param {HTMLInputElement} input the text field (role=combobox in the markup)
   * @param {HTMLUListElement} list the popup (role=listbox in the markup)
   * @param {(q: string, signal: AbortSignal) => Promise<Array<{id: string, name: string, country: string, kinds: string[]}>>} search
   * @param {{onPick?: (loc: object) => void, allowEmpty?: boolean, emptyText?: string}} options
   *   onPick: called with the picked item instead of keeping it in the field (a list of chips:
   *   avoided places, avoided border crossings); allowEmpty: ArrowDown on an empty field lists
   *   the first items; emptyText: the line shown when nothing matches
   */
  constructor(input, list, search, { onPick = null, allowEmpty = false, emptyText = 'No matching place' } = {}) {
    this.input = input;
    this.onPick = onPick;
    this.allowEmpty = allowEmpty;
    this.emptyText = emptyText;
    this.list = list;
    this.search = search;
    this.items = [];
    this.active = -1;
    this.picked = null;   // the id of the location picked from the list, while the text is unchanged
    this.timer = null;
    this.abort = null;
    this.prefix = `opt${++uid}`;
    input.addEventListener('input', () => { this.picked = null; this.schedule(); });
    input.addEventListener('keydown', (e) => this.onKey(e));
    input.addEventListener('blur', () => setTimeout(() => this.close(), 120));
    input.addEventListener('focus', () => { if (this.input.value && !this.picked) this.schedule(); });
    // mousedown (not click) so the pick happens before the input loses focus.
    list.addEventListener('mousedown', (e) => {
      const li = e.target.closest('li[role="option"]');
      if (!li) return;
      e.preventDefault();
      this.pick(Number(li.dataset.index));
    });
  }

  /** The value to send: the picked location's id, or the text as typed. */
  value() { return this.picked && this.input.dataset.label === this.input.value ? this.picked : this.input.value; }

  state() { return { id: this.value(), text: this.input.value }; }

  /** Sets the field to a location id with a display text. */
  set(id, text) {
    this.input.value = text;
    this.input.dataset.label = text;
    this.picked = id || null;
    this.close();
  }

  schedule() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.fetch(), 120);
  }

  async fetch(force = false) {
    const q = this.input.value.trim();
    if (!q && !(force && this.allowEmpty)) { this.close(); return; }
    this.abort?.abort();
    const ctl = new AbortController();
    this.abort = ctl;
    try {
      const items = await this.search(q, ctl.signal);
      if (ctl.signal.aborted || document.activeElement !== this.input) return;
      this.render(items);
    } catch (e) {
      if (e.name !== 'AbortError') this.close();
    }
  }

  render(items) {
    this.items = items;
    this.active = items.length ? 0 : -1;
    this.list.replaceChildren();
    items.forEach((loc, i) => {
      const li = document.createElement('li');
      li.id = `${this.prefix}-${i}`;
      li.setAttribute('role', 'option');
      li.dataset.index = String(i);
      const name = document.createElement('span');
      name.className = 'sname';
      name.textContent = loc.name;
      const meta = document.createElement('span');
      meta.className = 'smeta';
      meta.textContent = `${loc.id}${loc.country ? ` · ${loc.country}` : ''}${loc.kinds?.length ? ` · ${loc.kinds.join(', ').replaceAll('_', ' ')}` : ''}`;
      li.append(name, meta);
      this.list.append(li);
    });
    if (!items.length) {
      const li = document.createElement('li');
      li.className = 'empty';
      li.setAttribute('aria-disabled', 'true');
      li.textContent = this.emptyText;
      this.list.append(li);
    }
    this.list.hidden = false;
    this.input.setAttribute('aria-expanded', 'true');
    this.highlight();
  }

  highlight() {
    [...this.list.querySelectorAll('li[role="option"]')].forEach((li, i) => {
      li.setAttribute('aria-selected', String(i === this.active));
      if (i === this.active) li.scrollIntoView({ block: 'nearest' });
    });
    if (this.active >= 0) this.input.setAttribute('aria-activedescendant', `${this.prefix}-${this.active}`);
    else this.input.removeAttribute('aria-activedescendant');
  }

  isOpen() { return !this.list.hidden; }

  close() {
    clearTimeout(this.timer);
    this.list.hidden = true;
    this.input.setAttribute('aria-expanded', 'false');
    this.input.removeAttribute('aria-activedescendant');
  }

  pick(i) {
    const loc = this.items[i];
    if (!loc) return;
    if (this.onPick) { this.onPick(loc); this.input.value = ''; this.picked = null; this.close(); return; }
    this.set(loc.id, `${loc.name} (${loc.id})`);
  }

  onKey(e) {
    const n = this.items.length;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (!this.isOpen()) { this.fetch(true); return; }
      if (!n) return;
      this.active = (this.active + (e.key === 'ArrowDown' ? 1 : n - 1)) % n;
      this.highlight();
    } else if (e.key === 'Enter') {
      if (this.isOpen() && this.active >= 0) {
        // Enter on an open list picks; it does not submit the form.
        e.preventDefault();
        this.pick(this.active);
      }
    } else if (e.key === 'Escape') {
      if (this.isOpen()) { e.preventDefault(); this.close(); }
    } else if (e.key === 'Tab') {
      this.close();
    }
  }
}
