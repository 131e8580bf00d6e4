// UI language and variant selection of the certsrv pages, and the message tables (English, the
// default, and French; certsrv reference §13 — the "yes" wordings where the table gives them).
// Strings here are plain text: the renderers escape them with escapeMessage. Functions taking
// arguments return HTML: they expect arguments the caller has already escaped, and their fixed
// text needs no escaping.

import { ADMIN_REVOCATION_REASONS, type AdminRevocationReason } from '../crl-builder.js';
import type { CertrqmaMessageKey } from './enroll-form.js';
import type { CertsrvLanguage, PageVariant } from './page-model.js';

/**
 * Picks the page language: an explicit `Lang` override (`en`/`fr`, any case, from the query
 * string or a cookie) wins; otherwise the best q-weighted Accept-Language entry among English
 * and French (`fr`, `fr-FR`, `fr-CA` → French); otherwise `fallback` (the site's default
 * language, English unless configured).
 *
 * @example
 * ```ts
 * selectLanguage('fr-CA,fr;q=0.9,en;q=0.8'); // 'fr'
 * selectLanguage('fr-FR', 'EN'); // 'en'
 * selectLanguage(undefined); // 'en'
 * ```
 */
export function selectLanguage(
  acceptLanguage: string | undefined,
  override?: string | undefined,
  fallback: CertsrvLanguage = 'en',
): CertsrvLanguage {
  const o = override?.trim().toLowerCase();
  if (o === 'en' || o === 'fr') return o;
  if (!acceptLanguage) return fallback;
  let best: CertsrvLanguage = fallback;
  let bestQ = 0;
  for (const entry of acceptLanguage.split(',')) {
    const [tagPart, ...params] = entry.split(';');
    const primary = (tagPart ?? '').trim().toLowerCase().split('-')[0];
    if (primary !== 'en' && primary !== 'fr') continue;
    let q = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(p);
      if (m?.[1] !== undefined) q = Number.parseFloat(m[1]);
    }
    if (!Number.isFinite(q) || q <= 0) continue;
    if (q > bestQ) {
      best = primary;
      bestQ = q;
    }
  }
  return best;
}

/**
 * Picks the HTML variant from the User-Agent (reference §3): `browser` when it contains
 * `Mozilla`, `text` otherwise (also when the header is missing).
 *
 * @example
 * ```ts
 * selectVariant('Mozilla/5.0 (Windows NT 10.0)'); // 'browser'
 * selectVariant('Go-http-client/1.1'); // 'text'
 * ```
 */
export function selectVariant(userAgent: string | undefined): PageVariant {
  return userAgent?.includes('Mozilla') ? 'browser' : 'text';
}

/**
 * Every visible string of the certsrv pages, per language.
 *
 * @example
 * ```ts
 * messages('fr').home.requestCert; // 'Demander un certificat'
 * ```
 */
export interface Messages {
  readonly common: {
    readonly product: string;
    readonly home: string;
    readonly language: string;
    readonly adminConsole: string;
    readonly signedInAs: (user: string) => string;
  };
  readonly home: {
    readonly title: string;
    readonly intro1: string;
    readonly intro2: string;
    readonly selectTask: string;
    readonly requestCert: string;
    readonly viewPending: string;
    readonly downloadCa: string;
  };
  readonly requestCert: {
    readonly title: string;
    readonly selectType: string;
    readonly userCert: string;
    readonly orSubmit: string;
    readonly advancedLink: string;
    readonly orSubmitEnd: string;
  };
  readonly advanced: {
    readonly title: string;
    readonly intro: string;
    readonly createSubmit: string;
    readonly submitFile: string;
  };
  readonly submitSaved: {
    readonly title: string;
    readonly intro: string;
    readonly savedRequest: string;
    readonly savedRequestHint: string;
    readonly certTemplate: string;
    readonly noTemplates: string;
    readonly additionalAttributes: string;
    readonly attributes: string;
    readonly submit: string;
  };
  readonly createRequest: {
    readonly title: string;
    readonly httpsRequired: string;
    readonly httpsLink: string;
    readonly certTemplate: string;
    readonly offlineInfo: string;
    readonly name: string;
    readonly email: string;
    readonly company: string;
    readonly department: string;
    readonly city: string;
    readonly state: string;
    readonly country: string;
    readonly dnsNames: string;
    readonly keyOptions: string;
    readonly keyAlgorithm: string;
    readonly keyLocal: string;
    readonly localMachineStore: string;
    readonly pfxPassword: string;
    readonly additionalOptions: string;
    readonly friendlyName: string;
    readonly submit: string;
    readonly noscript: string;
    readonly noscriptLink: string;
    /**
     * The messages of the page script (embedded as JSON, `#certrqmaMessages`): every key the
     * script shows, so none falls back to its English default on a French page.
     */
    readonly script: Readonly<Record<CertrqmaMessageKey, string>>;
  };
  readonly issued: {
    readonly title: string;
    readonly text: string;
    readonly derEncoded: string;
    readonly b64Encoded: string;
    readonly or: string;
    readonly downloadCert: string;
    readonly downloadChain: string;
    readonly downloadCertLabel: string;
    readonly downloadChainLabel: string;
    readonly installCert: string;
    readonly caNotTrusted: string;
    readonly installCaLink: string;
  };
  readonly pending: {
    readonly title: string;
    readonly received: string;
    readonly stillPending: string;
    readonly requestId: (id: string) => string;
    readonly returnLater: string;
    readonly note: (days: string) => string;
  };
  readonly denied: {
    readonly title: string;
    readonly denied: string;
    readonly revoked: string;
    readonly contactAdmin: string;
    readonly dispositionLine: (id: string, message: string) => string;
  };
  readonly installed: {
    readonly title: string;
    readonly text: string;
  };
  readonly error: {
    readonly title: string;
    readonly failed: string;
    readonly contactAdmin: string;
    readonly moreInfo: string;
    readonly requestMode: string;
    readonly disposition: string;
    readonly dispositionMessage: string;
    readonly result: string;
    readonly comErrorInfo: string;
    readonly lastStatus: string;
    readonly suggestedCause: string;
    readonly noSuggestion: string;
  };
  readonly caDownload: {
    readonly title: string;
    readonly trust: string;
    readonly installThisCa: string;
    readonly select: string;
    readonly caCertificate: string;
    readonly encodingMethod: string;
    readonly der: string;
    readonly b64: string;
    readonly installCaCert: string;
    readonly downloadCaCert: string;
    readonly downloadCaChain: string;
    readonly downloadBaseCrl: string;
    readonly downloadDeltaCrl: string;
    readonly current: string;
    readonly previous: string;
  };
  readonly pendingList: {
    readonly title: string;
    readonly select: string;
    readonly none: string;
    readonly remove: string;
  };
  readonly pendingRemoved: {
    readonly title: string;
    readonly text: string;
    readonly back: string;
  };
  readonly admin: {
    readonly title: string;
    readonly folders: {
      readonly pending: string;
      readonly issued: string;
      readonly revoked: string;
      readonly failed: string;
    };
    readonly columns: {
      readonly requestId: string;
      readonly requester: string;
      readonly template: string;
      readonly subject: string;
      readonly serial: string;
      readonly submitted: string;
      readonly resolved: string;
      readonly revoked: string;
      readonly reason: string;
      readonly message: string;
      readonly attributes: string;
      readonly actions: string;
    };
    readonly empty: string;
    readonly approve: string;
    readonly deny: string;
    readonly revoke: string;
    readonly unrevoke: string;
    readonly reasonLabel: string;
    readonly reasons: Readonly<Record<AdminRevocationReason, string>>;
    readonly crlHeading: string;
    readonly crlNone: string;
    readonly crlNumber: string;
    readonly crlThisUpdate: string;
    readonly crlNextUpdate: string;
    readonly publishCrl: string;
    readonly publishDeltaCrl: string;
  };
}

// The console's list is the CA's own (crl-builder.ts), re-exported for the pages.
export { ADMIN_REVOCATION_REASONS, type AdminRevocationReason };

const EN: Messages = {
  common: {
    product: 'Microsoft Active Directory Certificate Services',
    home: 'Home',
    language: 'Language:',
    adminConsole: 'Certification Authority console',
    signedInAs: (user) => `Signed in as ${user}`,
  },
  home: {
    title: 'Welcome',
    intro1:
      'Use this Web site to request a certificate for your Web browser, e-mail client, or other program. By using a certificate, you can verify your identity to people you communicate with over the Web, sign and encrypt messages, and, depending upon the type of certificate you request, perform other security tasks.',
    intro2:
      'You can also use this Web site to download a certificate authority (CA) certificate, certificate chain, or certificate revocation list (CRL), or to view the status of a pending request.',
    selectTask: 'Select a task:',
    requestCert: 'Request a certificate',
    viewPending: 'View the status of a pending certificate request',
    downloadCa: 'Download a CA certificate, certificate chain, or CRL',
  },
  requestCert: {
    title: 'Request a Certificate',
    selectType: 'Select the certificate type:',
    userCert: 'User Certificate',
    orSubmit: 'Or, submit an',
    advancedLink: 'advanced certificate request',
    orSubmitEnd: '.',
  },
  advanced: {
    title: 'Advanced Certificate Request',
    intro:
      'The policy of the CA determines the types of certificates you can request. Click one of the following options to:',
    createSubmit: 'Create and submit a request to this CA.',
    submitFile:
      'Submit a certificate request by using a base-64-encoded CMC or PKCS #10 file, or submit a renewal request by using a base-64-encoded PKCS #7 file.',
  },
  submitSaved: {
    title: 'Submit a Certificate Request or Renewal Request',
    intro:
      'To submit a saved request to the CA, paste a base-64-encoded CMC or PKCS #10 certificate request or PKCS #7 renewal request generated by an external source (such as a Web server) in the Saved Request box.',
    savedRequest: 'Saved Request:',
    savedRequestHint: 'Base-64-encoded certificate request (CMC or PKCS #10 or PKCS #7):',
    certTemplate: 'Certificate Template:',
    noTemplates:
      'No certificate templates could be found. You do not have permission to request a certificate from this CA.',
    additionalAttributes: 'Additional Attributes:',
    attributes: 'Attributes:',
    submit: 'Submit >',
  },
  createRequest: {
    title: 'Advanced Certificate Request',
    httpsRequired:
      'In order to complete the certificate enrollment, the Web site for the CA must be configured to use HTTPS authentication.',
    httpsLink: 'Open this page over HTTPS.',
    certTemplate: 'Certificate Template:',
    offlineInfo: 'Identifying Information For Offline Template:',
    name: 'Name:',
    email: 'E-Mail:',
    company: 'Company:',
    department: 'Department:',
    city: 'City:',
    state: 'State:',
    country: 'Country/Region:',
    dnsNames: 'DNS names (comma separated):',
    keyOptions: 'Key Options:',
    keyAlgorithm: 'Key algorithm:',
    keyLocal: 'The private key is generated in this browser and is never sent to the CA.',
    localMachineStore: 'Store certificate in the local computer certificate store',
    pfxPassword: 'Password protecting the downloaded .pfx file:',
    additionalOptions: 'Additional Options:',
    friendlyName: 'Friendly Name:',
    submit: 'Submit >',
    noscript:
      'This page needs JavaScript to generate a key in your browser. Without JavaScript, create the request with another tool and',
    noscriptLink: 'submit it as a saved request',
    script: {
      generating: 'Generating the key pair…',
      submitting: 'Submitting the request to the CA…',
      downloading: 'Downloading the certificate…',
      issued: 'The certificate you requested was issued to you.',
      pending: 'Your certificate request has been received. Your Request Id is {id}.',
      denied: 'Your certificate request was denied. The disposition message is "{message}".',
      error: 'Your request failed: {message}',
      downloadPfx: 'Download the certificate and its private key (.pfx)',
      downloadKey: 'Download the private key (.pem)',
      noWebCrypto:
        'This browser cannot generate keys: Web Crypto is unavailable (it needs a secure HTTPS connection).',
      passwordRequired: 'Enter a password to protect the private key.',
      storeLocalMachine:
        "Import the .pfx into the local computer's Personal store (Certificates (Local Computer) → Personal, LocalMachine\\My).",
      storeCurrentUser:
        'Import the .pfx into your own Personal store (Certificates - Current User → Personal, CurrentUser\\My).',
    },
  },
  issued: {
    title: 'Certificate Issued',
    text: 'The certificate you requested was issued to you.',
    derEncoded: 'DER encoded',
    b64Encoded: 'Base 64 encoded',
    or: 'or',
    downloadCert: 'Download certificate',
    downloadChain: 'Download certificate chain',
    downloadCertLabel: 'Download certificate:',
    downloadChainLabel: 'Download certificate chain:',
    installCert: 'Install this certificate',
    caNotTrusted: 'This CA is not trusted. To trust certificates issued from this certification authority,',
    installCaLink: 'install this CA certificate',
  },
  pending: {
    title: 'Certificate Pending',
    received:
      'Your certificate request has been received. However, you must wait for an administrator to issue the certificate you requested.',
    stillPending:
      'Your certificate request is still pending. You must wait for an administrator to issue the certificate you requested.',
    requestId: (id) => `Your Request Id is ${id}.`,
    returnLater: 'Please return to this web site in a day or two to retrieve your certificate.',
    note: (days) =>
      `Note: You must return with this web browser within ${days} days to retrieve your certificate`,
  },
  denied: {
    title: 'Certificate Request Denied',
    denied: 'Your certificate request was denied.',
    revoked: 'The certificate you requested was issued to you and has since been revoked.',
    contactAdmin: 'Contact your administrator for further information.',
    dispositionLine: (id, message) => `Your Request Id is ${id}. The disposition message is "${message}".`,
  },
  installed: {
    title: 'Certificate Installed',
    text: 'Your new certificate has been successfully installed.',
  },
  error: {
    title: 'Error',
    failed: 'Your request failed. An error occurred while the server was processing your request.',
    contactAdmin: 'Contact your administrator for further assistance.',
    moreInfo: 'More information',
    requestMode: 'Request Mode:',
    disposition: 'Disposition:',
    dispositionMessage: 'Disposition message:',
    result: 'Result:',
    comErrorInfo: 'COM Error Info:',
    lastStatus: 'LastStatus:',
    suggestedCause: 'Suggested Cause:',
    noSuggestion: 'No suggestions.',
  },
  caDownload: {
    title: 'Download a CA Certificate, Certificate Chain, or CRL',
    trust: 'To trust certificates issued from this certification authority,',
    installThisCa: 'install this CA certificate',
    select:
      'To download a CA certificate, certificate chain, or CRL, select the certificate and encoding method.',
    caCertificate: 'CA certificate:',
    encodingMethod: 'Encoding method:',
    der: 'DER',
    b64: 'Base 64',
    installCaCert: 'Install CA certificate',
    downloadCaCert: 'Download CA certificate',
    downloadCaChain: 'Download CA certificate chain',
    downloadBaseCrl: 'Download latest base CRL',
    downloadDeltaCrl: 'Download latest delta CRL',
    current: 'Current',
    previous: 'Previous',
  },
  pendingList: {
    title: 'View the Status of a Pending Certificate Request',
    select: 'Select the certificate request you want to view:',
    none: 'There are no pending certificate requests for you to view.',
    remove: 'Remove',
  },
  pendingRemoved: {
    title: 'Pending Request Removed',
    text: 'Your pending certificate request has been removed from this browser. The CA still holds it.',
    back: 'View the status of a pending certificate request',
  },
  admin: {
    title: 'Certification Authority',
    folders: {
      pending: 'Pending Requests',
      issued: 'Issued Certificates',
      revoked: 'Revoked Certificates',
      failed: 'Failed Requests',
    },
    columns: {
      requestId: 'Request ID',
      requester: 'Requester Name',
      template: 'Certificate Template',
      subject: 'Subject',
      serial: 'Serial Number',
      submitted: 'Request Submission Date',
      resolved: 'Request Resolution Date',
      revoked: 'Revocation Date',
      reason: 'Revocation Reason',
      message: 'Request Disposition Message',
      attributes: 'Request Attributes',
      actions: 'Actions',
    },
    empty: 'There are no items to show in this view.',
    approve: 'Issue',
    deny: 'Deny',
    revoke: 'Revoke',
    unrevoke: 'Unrevoke',
    reasonLabel: 'Reason:',
    reasons: {
      unspecified: 'Unspecified',
      keyCompromise: 'Key Compromise',
      cACompromise: 'CA Compromise',
      affiliationChanged: 'Change of Affiliation',
      superseded: 'Superseded',
      cessationOfOperation: 'Cease of Operation',
      certificateHold: 'Certificate Hold',
    },
    crlHeading: 'Certificate Revocation List',
    crlNone: 'No CRL has been published yet.',
    crlNumber: 'CRL number:',
    crlThisUpdate: 'Effective date:',
    crlNextUpdate: 'Next update:',
    publishCrl: 'Publish CRL',
    publishDeltaCrl: 'Publish delta CRL',
  },
};

const FR: Messages = {
  common: {
    product: 'Microsoft Active Directory Certificate Services',
    home: 'Accueil',
    language: 'Langue :',
    adminConsole: "Console de l'autorité de certification",
    signedInAs: (user) => `Connecté en tant que ${user}`,
  },
  home: {
    title: 'Bienvenue',
    intro1:
      "Utilisez ce site Web pour demander un certificat pour votre navigateur Web, votre client de messagerie ou un autre programme. En utilisant un certificat, vous pouvez confirmer votre identité auprès des personnes avec lesquelles vous communiquez sur le Web, signer et chiffrer des messages et, selon le type de certificat que vous demandez, effectuer d'autres tâches de sécurité.",
    intro2:
      "Vous pouvez également utiliser ce site Web pour télécharger un certificat d'autorité de certification, une chaîne de certificats ou une liste de révocation de certificats, ou pour afficher le statut d'une requête en attente.",
    selectTask: 'Sélectionnez une tâche :',
    requestCert: 'Demander un certificat',
    viewPending: "Afficher le statut d'une requête de certificat en attente",
    downloadCa:
      "Télécharger un certificat d'autorité de certification, une chaîne de certificats ou la liste de révocation de certificats",
  },
  requestCert: {
    title: 'Demander un certificat',
    selectType: 'Sélectionnez le type de certificat :',
    userCert: 'Certificat utilisateur',
    orSubmit: 'Ou soumettez une',
    advancedLink: 'demande de certificat avancée',
    orSubmitEnd: '.',
  },
  advanced: {
    title: 'Demande de certificat avancée',
    intro:
      "La stratégie de l'autorité de certification détermine les types de certificats que vous pouvez demander. Cliquez sur l'une des options suivantes pour :",
    createSubmit:
      'Créer et soumettre une demande de certification auprès de cette Autorité de certification.',
    submitFile:
      'Soumettre une demande de certificat en utilisant un fichier CMC ou PKCS #10 codé en base 64, ou soumettre une demande de renouvellement en utilisant un fichier PKCS #7 codé en base 64.',
  },
  submitSaved: {
    title: 'Soumettre une demande de certificat ou une demande de renouvellement',
    intro:
      "Pour soumettre une demande enregistrée à l'autorité de certification, collez dans la zone Demande enregistrée une demande de certificat CMC ou PKCS #10, ou une demande de renouvellement PKCS #7, codée en base 64 et générée par une source externe (telle qu'un serveur Web).",
    savedRequest: 'Demande enregistrée :',
    savedRequestHint: 'Demande de certificat codée en base 64 (CMC, PKCS #10 ou PKCS #7) :',
    certTemplate: 'Modèle de certificat :',
    noTemplates:
      "Aucun modèle de certificat n'a été trouvé. Vous n'avez pas l'autorisation de demander un certificat à cette autorité de certification.",
    additionalAttributes: 'Attributs supplémentaires :',
    attributes: 'Attributs :',
    submit: 'Envoyer',
  },
  createRequest: {
    title: 'Demande de certificat avancée',
    httpsRequired:
      "Pour terminer l'inscription du certificat, le site Web de l'autorité de certification doit être configuré pour utiliser l'authentification HTTPS.",
    httpsLink: 'Ouvrir cette page en HTTPS.',
    certTemplate: 'Modèle de certificat :',
    offlineInfo: "Informations d'identification pour les modèles hors connexion :",
    name: 'Nom :',
    email: 'Adresse de messagerie :',
    company: 'Société :',
    department: 'Service :',
    city: 'Ville :',
    state: 'Département ou région :',
    country: 'Pays/région :',
    dnsNames: 'Noms DNS (séparés par des virgules) :',
    keyOptions: 'Options de la clé :',
    keyAlgorithm: 'Algorithme de clé :',
    keyLocal:
      "La clé privée est générée dans ce navigateur et n'est jamais envoyée à l'autorité de certification.",
    localMachineStore: "Stocker le certificat dans le magasin de certificats de l'ordinateur local",
    pfxPassword: 'Mot de passe protégeant le fichier .pfx téléchargé :',
    additionalOptions: 'Options supplémentaires :',
    friendlyName: 'Nom convivial :',
    submit: 'Envoyer',
    noscript:
      'Cette page a besoin de JavaScript pour générer une clé dans votre navigateur. Sans JavaScript, créez la demande avec un autre outil et',
    noscriptLink: 'soumettez-la comme demande enregistrée',
    script: {
      generating: 'Génération de la paire de clés…',
      submitting: "Envoi de la demande à l'autorité de certification…",
      downloading: 'Téléchargement du certificat…',
      issued: 'Le certificat que vous avez demandé vous a été délivré.',
      pending: 'Votre demande de certificat a été reçue. Votre ID de demande est {id}.',
      denied: 'Votre demande de certificat a été refusée. Le message de décision est "{message}".',
      error: 'Votre demande a échoué : {message}',
      downloadPfx: 'Télécharger le certificat et sa clé privée (.pfx)',
      downloadKey: 'Télécharger la clé privée (.pem)',
      noWebCrypto:
        "Ce navigateur ne peut pas générer de clés : Web Crypto n'est pas disponible (une connexion HTTPS sécurisée est nécessaire).",
      passwordRequired: 'Entrez un mot de passe pour protéger la clé privée.',
      storeLocalMachine:
        "Importez le .pfx dans le magasin Personnel de l'ordinateur local (Certificats (ordinateur local) → Personnel, LocalMachine\\My).",
      storeCurrentUser:
        'Importez le .pfx dans votre propre magasin Personnel (Certificats - Utilisateur actuel → Personnel, CurrentUser\\My).',
    },
  },
  issued: {
    title: 'Certificat émis',
    text: 'Le certificat que vous avez demandé vous a été délivré.',
    derEncoded: 'Codé DER',
    b64Encoded: 'Codé en base 64',
    or: 'ou',
    downloadCert: 'Télécharger le certificat',
    downloadChain: 'Télécharger la chaîne de certificats',
    downloadCertLabel: 'Télécharger le certificat :',
    downloadChainLabel: 'Télécharger la chaîne de certificats :',
    installCert: 'Installer ce certificat',
    caNotTrusted:
      "Cette autorité de certification n'est pas approuvée. Pour approuver les certificats émis par cette autorité de certification,",
    installCaLink: "installez ce certificat d'autorité de certification",
  },
  pending: {
    title: 'Certificat en attente',
    received:
      "Votre demande de certificat a été reçue. Cependant, vous devez attendre qu'un administrateur émette le certificat que vous avez demandé.",
    stillPending:
      "Votre demande de certificat est toujours en attente. Vous devez attendre qu'un administrateur émette le certificat que vous avez demandé.",
    requestId: (id) => `Votre ID de demande est ${id}.`,
    returnLater: 'Revenez sur ce site Web dans un jour ou deux pour récupérer votre certificat.',
    note: (days) =>
      `Remarque : vous devez revenir avec ce navigateur Web dans les ${days} jours pour récupérer votre certificat.`,
  },
  denied: {
    title: 'Demande de certificat refusée',
    denied: 'Votre demande de certificat a été refusée.',
    revoked: 'Le certificat que vous avez demandé vous a été délivré, puis il a été révoqué.',
    contactAdmin: "Contactez votre administrateur pour plus d'informations.",
    dispositionLine: (id, message) =>
      `Votre ID de demande est ${id}. Le message de décision est "${message}".`,
  },
  installed: {
    title: 'Certificat installé',
    text: 'Votre nouveau certificat a été correctement installé.',
  },
  error: {
    title: 'Erreur',
    failed:
      "Votre demande a échoué. Une erreur s'est produite lors du traitement de votre demande par le serveur.",
    contactAdmin: "Contactez votre administrateur pour obtenir de l'aide.",
    moreInfo: "Plus d'informations",
    requestMode: 'Mode de la demande :',
    disposition: 'Décision :',
    dispositionMessage: 'Message de décision :',
    result: 'Résultat :',
    comErrorInfo: "Informations d'erreur COM :",
    lastStatus: 'Dernier état :',
    suggestedCause: 'Cause suggérée :',
    noSuggestion: 'Aucune suggestion.',
  },
  caDownload: {
    title:
      "Télécharger un certificat d'autorité de certification, une chaîne de certificats ou la liste de révocation de certificats",
    trust: 'Pour approuver les certificats émis par cette autorité de certification,',
    installThisCa: "installez ce certificat d'autorité de certification",
    select:
      "Pour télécharger un certificat d'autorité de certification, une chaîne de certificats ou une liste de révocation de certificats, sélectionnez le certificat et la méthode de codage.",
    caCertificate: "Certificat d'autorité de certification :",
    encodingMethod: 'Méthode de codage :',
    der: 'DER',
    b64: 'Base 64',
    installCaCert: "Installer le certificat d'autorité de certification",
    downloadCaCert: "Télécharger un certificat de l'autorité de certification",
    downloadCaChain: "Télécharger la chaîne de certificats d'autorité de certification",
    downloadBaseCrl: 'Télécharger la dernière liste de révocation de certificats de base',
    downloadDeltaCrl: 'Télécharger la dernière liste de révocation de certificats delta',
    current: 'Actuel',
    previous: 'Précédent',
  },
  pendingList: {
    title: "Afficher le statut d'une requête de certificat en attente",
    select: 'Sélectionnez la demande de certificat que vous voulez afficher :',
    none: "Vous n'avez aucune demande de certificat en attente à afficher.",
    remove: 'Supprimer',
  },
  pendingRemoved: {
    title: 'Demande en attente supprimée',
    text: "Votre demande de certificat en attente a été supprimée de ce navigateur. L'autorité de certification la conserve.",
    back: "Afficher le statut d'une requête de certificat en attente",
  },
  admin: {
    title: 'Autorité de certification',
    folders: {
      pending: 'Demandes en attente',
      issued: 'Certificats délivrés',
      revoked: 'Certificats révoqués',
      failed: 'Demandes ayant échoué',
    },
    columns: {
      requestId: 'ID de la demande',
      requester: 'Nom du demandeur',
      template: 'Modèle de certificat',
      subject: 'Objet',
      serial: 'Numéro de série',
      submitted: 'Date de soumission de la demande',
      resolved: 'Date de résolution de la demande',
      revoked: 'Date de révocation',
      reason: 'Motif de la révocation',
      message: 'Message de décision de la demande',
      attributes: 'Attributs de la demande',
      actions: 'Actions',
    },
    empty: "Il n'y a aucun élément à afficher dans cet affichage.",
    approve: 'Délivrer',
    deny: 'Refuser',
    revoke: 'Révoquer',
    unrevoke: 'Annuler la révocation',
    reasonLabel: 'Motif :',
    reasons: {
      unspecified: 'Non spécifié',
      keyCompromise: 'Compromission de clé',
      cACompromise: "Compromission de l'autorité de certification",
      affiliationChanged: "Changement d'affiliation",
      superseded: 'Remplacé',
      cessationOfOperation: "Cessation d'activité",
      certificateHold: 'Certificat suspendu',
    },
    crlHeading: 'Liste de révocation de certificats',
    crlNone: "Aucune liste de révocation de certificats n'a encore été publiée.",
    crlNumber: 'Numéro de la liste :',
    crlThisUpdate: "Date d'effet :",
    crlNextUpdate: 'Prochaine mise à jour :',
    publishCrl: 'Publier la liste de révocation',
    publishDeltaCrl: 'Publier la liste de révocation delta',
  },
};

/**
 * The message table of a language.
 *
 * @example
 * ```ts
 * messages('en').issued.title; // 'Certificate Issued'
 * ```
 */
export function messages(lang: CertsrvLanguage): Messages {
  return lang === 'fr' ? FR : EN;
}

/**
 * Formats a date for the pages of a language (UTC, so output does not depend on the host).
 *
 * @example
 * ```ts
 * formatDate(new Date('2026-03-01T10:00:00Z'), 'fr'); // '01/03/2026 10:00:00 UTC'
 * ```
 */
export function formatDate(date: Date, lang: CertsrvLanguage): string {
  const f = new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-US', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
    timeZone: 'UTC',
  });
  return `${f.format(date).replace(',', '')} UTC`;
}
