/** The banners above a list: what just happened, and what went wrong (with a retry when it can). */

interface PageBannersProps {
  notice?: string | null;
  error: string | null;
  /** Offered next to the error, e.g. reloading the list. */
  onRetry?: () => void;
}

export function PageBanners({ notice, error, onRetry }: PageBannersProps) {
  return (
    <>
      {notice ? (
        <div className="banner info" role="status">
          {notice}
        </div>
      ) : null}
      {error ? (
        <div className="banner error" role="alert">
          {error}
          {onRetry ? (
            <>
              {" "}
              <button type="button" className="btn small" onClick={onRetry}>
                Retry
              </button>
            </>
          ) : null}
        </div>
      ) : null}
    </>
  );
}
