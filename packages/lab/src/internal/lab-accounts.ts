// The lab's directory accounts. The trainee's account is the domain's Administrator, a member of
// Domain Admins and Enterprise Admins as in a new forest: the groups AD CS's default Web Server
// permissions let enroll (certsrv-protocol.md §12). The ordinary account is an Exchange
// administrator who is only in Domain Users, for the `template-denied` mistake (reference §7).

/** The groups of the lab's administrator account, in the lab's domain. */
export const ADMIN_GROUPS: readonly string[] = ['CONTOSO\\Domain Admins', 'CONTOSO\\Enterprise Admins'];

/** The account without enroll rights on Web Server that the `template-denied` mistake signs in with. */
export const ORDINARY_ACCOUNT = 'CONTOSO\\exchadmin';
