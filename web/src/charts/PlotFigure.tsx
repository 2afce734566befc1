import * as Plot from '@observablehq/plot';
import { useEffect, useRef } from 'react';

/**
 * An Observable Plot chart as SVG. This module is the only one that imports Plot, and pages load
 * it on demand (`lazyPlotFigure`), so the diary's first screen does not pay for the charts.
 */

export type PlotModule = typeof Plot;

export interface PlotFigureProps {
  /** Builds the chart with the Plot module, e.g. `(P) => P.plot({ marks: [P.lineY(data)] })`. */
  build: (plot: PlotModule, width: number) => SVGSVGElement | HTMLElement;
  /** What the chart shows, for screen readers (the table behind it carries the numbers). */
  label: string;
  className?: string;
}

export default function PlotFigure({ build, label, className }: PlotFigureProps) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const host = ref.current;
    if (!host) return;
    const draw = () => {
      const width = Math.max(280, Math.floor(host.clientWidth || 640));
      const chart = build(Plot, width);
      // The chart is one image for screen readers, its table beside it carries the numbers: Plot's
      // labels on its marks' groups are not allowed on elements without a role (axe's
      // aria-prohibited-attr), and an image's content is not read anyway.
      for (const el of chart.querySelectorAll('[aria-label], [aria-description]')) {
        el.removeAttribute('aria-label');
        el.removeAttribute('aria-description');
      }
      chart.setAttribute('role', 'img');
      chart.setAttribute('aria-label', label);
      host.replaceChildren(chart);
    };
    draw();
    const observer = new ResizeObserver(() => draw());
    observer.observe(host);
    return () => {
      observer.disconnect();
      host.replaceChildren();
    };
  }, [build, label]);
  return <div ref={ref} className={className ?? 'plot-figure'} />;
}
