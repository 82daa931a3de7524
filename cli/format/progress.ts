/** `[██████░░░░░░] 2/4 nodes` — a bar of `width` cells, never more than full. */
export function progressBar(done: number, total: number, width = 24): string {
  const ratio = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
  const filled = Math.round(ratio * width);
  return `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${Math.min(done, total)}/${total} nodes`;
}
