/**
 * Every action the audit log records, with what it means in words: the one
 * vocabulary the services write, the admin's filters offer, the patient
 * page's access history and the CSV export show. No free strings: an
 * event's `action` is typed to these keys, and PostgreSQL refuses any other
 * (the check constraint `audit_events_action_known`).
 *
 * Adding an action: add it here (a dotted verb, lower case, grouped by what
 * it acts on), then a migration that replaces `audit_events_action_known`
 * with the new full list (see 1763800001400-AuditEventsPatient). The test
 * "the database accepts exactly the actions of the list" in
 * test/audit-trail.e2e-spec.ts fails until both agree. Never rename an
 * action: rows already written keep the old name.
 */
export const AUDIT_ACTIONS = {
  // Signing in and out (auth.service.ts).
  'auth.sign_in': 'Signed in',
  'auth.sign_in_throttled': 'Sign-in refused after too many failures',
  'auth.sign_out': 'Signed out',
  'auth.sign_in_password': 'Gave the right password; the second step followed',
  'auth.mfa_verify': 'Gave a sign-in code',
  'auth.mfa_enrol': 'Set up two-step sign-in',
  'auth.mfa_reset': "Reset a staff member's two-step sign-in",
  'auth.recovery_codes_replaced': 'Made new recovery codes',
  'auth.password_confirm': 'Gave the password again to change a sign-in setting',
  'auth.password_reset_issued': 'Issued a password reset link',
  'auth.password_reset': 'Chose a new password with a reset link',

  // The clinic's staff and settings (admin pages).
  'user.list': "Listed the clinic's staff",
  'user.invite': 'Invited a staff member',
  'user.invite_reissue': "Re-issued a staff member's welcome link",
  'user.join': 'Joined with a welcome link',
  'user.deactivate': 'Deactivated a staff account',
  'user.reactivate': 'Reactivated a staff account',
  'clinic.settings': "Changed the clinic's settings",
  'clinic.mfa_required': 'Changed whether staff need two-step sign-in',
  'clinic.consent_text': "Saved a new version of the clinic's privacy notice",
  'clinic.name_in_emails': 'Changed whether emails to patients name the clinic',
  'clinic.reminders': "Changed the clinic's reminder emails to patients",

  // Webhooks to the clinic's other systems (admin pages; the service turns a failing one off).
  'webhook.create': 'Registered a webhook endpoint',
  'webhook.update': 'Changed the events a webhook endpoint is sent',
  'webhook.enable': 'Turned a webhook endpoint on',
  'webhook.disable':
    'Turned a webhook endpoint off (an admin, or the service after a day of failures)',
  'webhook.delete': 'Deleted a webhook endpoint',
  'webhook.test': 'Sent a test event to a webhook endpoint',

  // The audit log itself.
  'audit.view': 'Read the audit log',
  'audit.export': 'Exported the audit log',

  // API keys (admin page) and what is done with them.
  'apikey.create': 'Made an API key',
  'apikey.revoke': 'Revoked an API key',
  'api.call': 'Called the API with a key',

  // Patients and their records.
  'patient.list': 'Listed patients',
  'patient.create': 'Added the patient',
  'patient.view': "Viewed the patient's page",
  'patient.access_history': "Read the patient's access history",
  'patient.update': "Changed the patient's details",
  'patient.archive': 'Archived the patient',
  'patient.unarchive': 'Unarchived the patient',
  'invitation.list': "Listed the patient's invitation links",
  'invitation.create': 'Created an invitation link',
  'invitation.revoke': 'Revoked an invitation link',
  'invitation.reissue': 'Re-issued an invitation link',
  'invitation.email': 'Emailed an invitation link to the patient (sent, or failed)',
  'invitation.reminder': 'Emailed the patient a reminder of their link (sent, or failed)',
  'invitation.reminders_stop': 'Stopped reminder emails, from a link in one',
  'intake.link_open': 'Opened an invitation link',
  'intake.link_open_throttled': 'Invitation link refused after too many failures',
  'intake.consent': 'Answered the privacy notice (agreed, or did not)',
  'intake.save': 'Saved intake answers',
  'intake.submit': 'Sent the intake to the clinic',
  'intake.list': "Listed the patient's intakes",
  'intake.view': 'Viewed an intake',
  'intake.review': "Completed an intake's review",
  'point.review': 'Marked a discussion point',
  'assessment.view': "Viewed an intake's assessments",
  'assessment.recompute': 'Assessed an intake again',
  'handout.download': 'Downloaded a handout',
  'takehome.view': 'Read their take-home notes through their link',
  'takehome.download': 'Downloaded their take-home notes through their link',
} as const satisfies Readonly<Record<string, string>>;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

/** The actions, in the order above (the admin's filter lists them so). */
export const AUDIT_ACTION_NAMES = Object.keys(AUDIT_ACTIONS) as readonly AuditAction[];

export const isAuditAction = (value: unknown): value is AuditAction =>
  typeof value === 'string' && Object.prototype.hasOwnProperty.call(AUDIT_ACTIONS, value);

/** The action in words; an action that is not (or no longer) in the list is shown as it is. */
export const describeAction = (action: string): string =>
  isAuditAction(action) ? AUDIT_ACTIONS[action] : action;
