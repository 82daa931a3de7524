import uPlot from 'uplot';
import { useEffect, useRef } from 'preact/hooks';

/**
 * One timeseries as a uPlot chart (canvas). The canvas is described for screen readers by the
 * figure's caption and the summary the caller writes next to it.
 */
export default function Chart({ title, times, values, unit, kind }: { title: string; times: number[]; values: Array<number | null>; unit: string; kind: 'bars' | 'line' }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current!;
    const width = () => Math.max(240, Math.min(el.parentElement?.clientWidth ?? 480, 640) - 8);
    const plot = new uPlot(
      {
        width: width(),
        height: 160,
        legend: { show: false },
        cursor: { show: true, drag: { x: false, y: false } },
        scales: { x: { time: true } },
        axes: [{ stroke: '#333' }, { stroke: '#333', size: 56, values: (_u, splits) => splits.map((v) => `${v}${unit}`) }],
        series: [
          {},
          {
            label: title,
            stroke: '#1f4b99',
            width: 2,
            fill: kind === 'bars' ? 'rgba(31, 75, 153, 0.35)' : undefined,
            paths: kind === 'bars' ? uPlot.paths.bars!({ size: [0.7, 40] }) : undefined,
            points: { show: kind === 'line' },
            spanGaps: false,
          },
        ],
      },
      [times, values],
      el,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: width(), height: 160 }));
    if (el.parentElement) resize.observe(el.parentElement);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [title, JSON.stringify(times), JSON.stringify(values)]);
  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      <div ref={host} role="img" aria-label={`${title} chart`} />
    </figure>
  );
}
