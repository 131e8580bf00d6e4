// The certsrv page renderers (one concept per module), plus language/variant selection and the
// HTML helpers, so the server imports everything from here.

export { escapeHtml, escapeMessage, escapeText, lines, scriptJson, toCrlf } from '../html.js';
export {
  ADMIN_REVOCATION_REASONS,
  type AdminRevocationReason,
  formatDate,
  type Messages,
  messages,
  selectLanguage,
  selectVariant,
} from '../i18n.js';
export { ADMIN_FOLDERS, renderAdmin } from './admin.js';
export { renderAdvancedRequest } from './advanced-request.js';
export {
  type CaDownloadPageOptions,
  CRL_STATE_VALID,
  caGenerationLabel,
  renderCaDownload,
} from './ca-download.js';
export {
  CERTRQMA_KEY_ALGORITHMS,
  type CreateRequestPageOptions,
  renderCreateRequest,
} from './create-request.js';
export { dispositionMessageText, renderDenied } from './denied.js';
export { renderError } from './error.js';
export { type HomePageOptions, renderHome } from './home.js';
export {
  renderBadRequest,
  renderForbidden,
  renderMethodNotAllowed,
  renderNotFound,
  renderNotImplemented,
  renderServerError,
  renderTooLarge,
  renderUnauthorized,
} from './iis-errors.js';
export { renderInstalled } from './installed.js';
export { renderIssued } from './issued.js';
export { CERTSRV_STYLE, type DocumentOptions, renderDocument } from './layout.js';
export { DEFAULT_PENDING_TIMEOUT_DAYS, renderPending } from './pending.js';
export { type PendingListPageOptions, renderPendingList } from './pending-list.js';
export { renderPendingRemoved } from './pending-removed.js';
export { renderRequestCertificate } from './request-certificate.js';
export { renderSubmitSaved, type SubmitSavedPageOptions } from './submit-saved.js';
export { localizedTemplateName, templateOptions, templateOptionValue } from './template-option.js';
