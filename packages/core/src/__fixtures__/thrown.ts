/** What `work` rejected with (`undefined` if it resolved), for tests that inspect the error. */
export const thrown = async (work: Promise<unknown>): Promise<unknown> =>
  work.then(
    () => undefined,
    (e: unknown) => e,
  );
