/** Shown while a page's code loads (the first time it is opened). */
export function PageLoading() {
  return <p role="status">読み込み中…</p>;
}
