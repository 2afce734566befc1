import { lazy, Suspense } from 'react';
import { Loading } from '../ui/states';
import type { PlotFigureProps } from './PlotFigure';

const PlotFigure = lazy(() => import('./PlotFigure'));

/** A chart whose code (Observable Plot) is fetched the first time one is shown. */
export function Chart(props: PlotFigureProps) {
  return (
    <Suspense fallback={<Loading />}>
      <PlotFigure {...props} />
    </Suspense>
  );
}

export type { PlotFigureProps, PlotModule } from './PlotFigure';
