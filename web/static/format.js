// Number formats, leg labels and client-side downloads (GeoJSON and CSV) of the web map.

const nf0 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const nf1 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

export const fmt = {
  int: (v) => nf0.format(v ?? 0),
  days: (v) => nf1.format(v ?? 0),
  usd: (v) => `$${nf0.format(v ?? 0)}`,
  usdShort: (v) => (Math.abs(v) >= 10000 ? `$${nf1.format(v / 1000)}k` : `$${nf0.format(v)}`),
};

const MODE_LABELS = { rail: 'Rail', road: 'Road', sea: 'Sea', ferry: 'Ferry' };

/** Whether a leg moves the container (rather than a border, transfer or wait at one place). */
export const isMove = (leg) => leg.kind in MODE_LABELS;

/** The mode badge of a leg: moves by their mode (rail with its gauge), the rest by their kind. */
export function modeOf(leg) {
  const k = String(leg.kind || '').toLowerCase();
  if (MODE_LABELS[k]) {
    const gauge = k === 'rail' ? /(\d{4})/.exec(leg.platform || '') : null;
    return { css: k, label: `${MODE_LABELS[k]}${gauge ? ` ${gauge[1]}` : ''}` };
  }
  return { css: ['transfer', 'border', 'wait'].includes(k) ? k : 'transfer', label: k ? k[0].toUpperCase() + k.slice(1) : '?' };
}

/** Labels for the notes column: border (with the countries), gauge change, ferry, waits. */
export function legTags(leg) {
  const tags = [];
  const d = String(leg.description || '');
  const k = String(leg.kind || '').toLowerCase();
  if (k === 'border') {
    const m = /\(([A-Z]{2}) -> ([A-Z]{2})\)/.exec(d);
    tags.push({ kind: 'border', label: m ? `border ${m[1]} → ${m[2]}` : 'border' });
  } else if (k === 'transfer') {
    if (/gauge/i.test(d)) tags.push({ kind: 'gauge', label: 'gauge change' });
    tags.push({ kind: 'wait', label: /transship/i.test(d) ? 'transshipment' : 'transfer' });
  } else if (k === 'ferry') {
    tags.push({ kind: 'ferry', label: 'ferry' });
  } else if (k === 'wait') {
    tags.push({ kind: 'wait', label: 'wait for departure' });
  }
  if (leg.estimated) tags.push({ kind: 'estimated', label: 'estimated' });
  return tags;
}

function csvCell(v) {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** CSV of the legs of several routes: `rows` is a list of [label, route]. */
export function legsCsv(rows) {
  const head = ['route', 'seq', 'kind', 'platform', 'from', 'from_name', 'to', 'to_name', 'km', 'hours', 'days', 'hours_p90', 'usd', 'co2e_wtw_kg', 'co2e_ttw_kg', 'description'];
  const lines = [head.join(',')];
  for (const [label, r] of rows) {
    r.legs.forEach((l, i) => {
      lines.push([label, i + 1, l.kind, l.platform, l.from, l.from_name, l.to, l.to_name, l.km, l.hours,
        Math.round((l.hours / 24) * 100) / 100, l.hours_p90, l.usd, l.co2e_wtw_kg, l.co2e_ttw_kg, l.description].map(csvCell).join(','));
    });
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** Saves text as a file through a temporary object URL. */
export function download(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * A local time of the API (`2026-12-01T08:00+05:00`, or `...Z`) for a table cell:
 * `{ text: '1 Dec 08:00', zone: 'UTC+5', iso }`, the clock time as at the place, with its offset.
 */
export function localTime(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(Z|([+-])(\d{2}):?(\d{2}))?$/.exec(String(iso || ''));
  if (!m) return null;
  let zone = 'local time';
  if (m[6] === 'Z') zone = 'UTC';
  else if (m[6]) {
    const mins = Number(m[9]);
    zone = `UTC${m[7]}${Number(m[8])}${mins ? `:${m[9]}` : ''}`;
  }
  return { text: `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[4]}:${m[5]}`, zone, year: m[1], iso };
}

/** Elapsed time from the departure as "day 3.2" (days, one decimal). */
export const dayOf = (hours) => `day ${nf1.format((hours ?? 0) / 24)}`;

/** The English name of an ISO 3166-1 alpha-2 country code (the code itself when unknown). */
export const countryName = (() => {
  let names = null;
  try { names = new Intl.DisplayNames(['en'], { type: 'region' }); } catch { /* old browser */ }
  return (cc) => { try { return names?.of(cc) || cc; } catch { return cc; } };
})();
