import type { KeyboardEvent, ReactNode } from 'react';
import { format, t } from '../../i18n/strings';

/**
 * The head map: the migraine trigger sites of Guyuron (frontal, temporal, auriculotemporal,
 * occipital, nasal; Guyuron et al., Plast Reconstr Surg 2009) on a front and a back view, each
 * side a checkbox of its own with a spoken label, usable by touch, mouse and keyboard (Tab, then
 * Space or Enter). The front view is a mirror: the patient's left is on the right of the picture.
 */

export const MAP_SITES = ['frontal', 'temporal', 'auriculotemporal', 'occipital', 'nasal'] as const;
export type MapSite = (typeof MAP_SITES)[number];
export type Side = 'left' | 'right' | 'bilateral';
/** `frontal-left`, …, or `nasal` (in the middle, no side). */
export type Region = `${Exclude<MapSite, 'nasal'>}-${'left' | 'right'}` | 'nasal';

/** The regions an attack's sites and side stand for (no side: both sides). */
export function regionsOf(sites: readonly string[] | undefined, side: Side | undefined): Set<Region> {
  const regions = new Set<Region>();
  for (const site of sites ?? []) {
    if (site === 'nasal') regions.add('nasal');
    else if ((MAP_SITES as readonly string[]).includes(site)) {
      const s = site as Exclude<MapSite, 'nasal'>;
      if (side !== 'right') regions.add(`${s}-left`);
      if (side !== 'left') regions.add(`${s}-right`);
    }
  }
  return regions;
}

/** Sites (in the schema's order) and side of chosen regions; the side is unknown with the nose alone. */
export function sitesOf(regions: ReadonlySet<Region>): { sites: MapSite[]; side: Side | undefined } {
  const sites = MAP_SITES.filter((site) => [...regions].some((r) => r === site || r.startsWith(`${site}-`)));
  const left = [...regions].some((r) => r.endsWith('-left'));
  const right = [...regions].some((r) => r.endsWith('-right'));
  const side = left && right ? 'bilateral' : left ? 'left' : right ? 'right' : undefined;
  return { sites, side };
}

function regionLabel(region: Region): string {
  const m = t.capture.headMap;
  if (region === 'nasal') return format(m.middle, { site: m.nasal });
  const [site, side] = region.split('-') as [Exclude<MapSite, 'nasal'>, 'left' | 'right'];
  return format(side === 'left' ? m.left : m.right, { site: m[site] });
}

interface RegionProps {
  region: Region;
  chosen: ReadonlySet<Region>;
  toggle: (region: Region) => void;
  children: ReactNode;
}

/** One region: an ARIA checkbox drawn as a shape. */
function Area({ region, chosen, toggle, children }: RegionProps) {
  const checked = chosen.has(region);
  const onKey = (e: KeyboardEvent<SVGGElement>) => {
    if (e.key === ' ' || e.key === 'Enter') {
      e.preventDefault();
      toggle(region);
    }
  };
  return (
    <g
      role="checkbox"
      aria-checked={checked}
      aria-label={regionLabel(region)}
      tabIndex={0}
      className={checked ? 'region region-on' : 'region'}
      data-region={region}
      onClick={() => toggle(region)}
      onKeyDown={onKey}
    >
      {children}
    </g>
  );
}

export function HeadMap({ value, onChange }: { value: ReadonlySet<Region>; onChange: (value: Set<Region>) => void }) {
  const s = t.capture.attack;
  const m = t.capture.headMap;
  const toggle = (region: Region) => {
    const next = new Set(value);
    if (next.has(region)) next.delete(region);
    else next.add(region);
    onChange(next);
  };
  const area = (region: Region, shape: ReactNode) => (
    <Area region={region} chosen={value} toggle={toggle}>
      {shape}
    </Area>
  );
  const { sites, side } = sitesOf(value);
  const sideText =
    side === 'left' ? s.sideLeft : side === 'right' ? s.sideRight : side === 'bilateral' ? s.sideBoth : null;
  return (
    <div className="head-map">
      <div className="head-views">
        <figure className="head-view">
          <svg viewBox="0 0 200 250" role="group" aria-label={s.front}>
            <g aria-hidden="true" className="head-outline">
              <ellipse cx="100" cy="122" rx="74" ry="98" />
              <ellipse cx="22" cy="132" rx="10" ry="22" />
              <ellipse cx="178" cy="132" rx="10" ry="22" />
              <path d="M72 118 q10 -8 20 0 M108 118 q10 -8 20 0" />
              <path d="M84 190 q16 10 32 0" />
            </g>
            {/* The patient's right is on the viewer's left. */}
            {area('frontal-right', <path className="shape" d="M34 92 Q40 36 98 28 L98 92 Z" />)}
            {area('frontal-left', <path className="shape" d="M102 28 Q160 36 166 92 L102 92 Z" />)}
            {area('temporal-right', <path className="shape" d="M28 98 L62 98 L62 138 L32 138 Q26 118 28 98 Z" />)}
            {area('temporal-left', <path className="shape" d="M138 98 L172 98 Q174 118 168 138 L138 138 Z" />)}
            {area('auriculotemporal-right', <rect className="shape" x="34" y="144" width="28" height="36" rx="8" />)}
            {area('auriculotemporal-left', <rect className="shape" x="138" y="144" width="28" height="36" rx="8" />)}
            {area('nasal', <rect className="shape" x="84" y="100" width="32" height="50" rx="12" />)}
            <g aria-hidden="true" className="head-text">
              <text x="40" y="244">
                {m.patientsRight}
              </text>
              <text x="160" y="244">
                {m.patientsLeft}
              </text>
            </g>
          </svg>
          <figcaption>{s.front}</figcaption>
        </figure>
        <figure className="head-view">
          <svg viewBox="0 0 200 250" role="group" aria-label={s.back}>
            <g aria-hidden="true" className="head-outline">
              <ellipse cx="100" cy="122" rx="74" ry="98" />
              <ellipse cx="22" cy="132" rx="10" ry="22" />
              <ellipse cx="178" cy="132" rx="10" ry="22" />
              <path d="M70 214 L70 236 M130 214 L130 236" />
            </g>
            {/* From behind, the patient's left is on the viewer's left. */}
            {area('occipital-left', <path className="shape" d="M40 130 L98 130 L98 206 Q56 198 40 150 Z" />)}
            {area('occipital-right', <path className="shape" d="M102 130 L160 130 L160 150 Q144 198 102 206 Z" />)}
            <g aria-hidden="true" className="head-text">
              <text x="40" y="244">
                {m.patientsLeft}
              </text>
              <text x="160" y="244">
                {m.patientsRight}
              </text>
            </g>
          </svg>
          <figcaption>{s.back}</figcaption>
        </figure>
      </div>
      <p className="head-chosen">
        {sites.length === 0
          ? s.noSites
          : format(s.chosenSites, {
              sites: [sites.map((site) => t.capture.sites[site]).join(', '), sideText].filter(Boolean).join(' · '),
            })}
      </p>
    </div>
  );
}
