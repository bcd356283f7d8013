import { InitialSchema1763700000000 } from './1763700000000-InitialSchema';
import { PatientSummary1763800000100 } from './1763800000100-PatientSummary';
import { StaffInvitations1763800000200 } from './1763800000200-StaffInvitations';
import { LinkAttemptIndex1763800000300 } from './1763800000300-LinkAttemptIndex';
import { PatientSummaryPlans1763800000400 } from './1763800000400-PatientSummaryPlans';
import { SubmissionRefreshesOnce1763800000500 } from './1763800000500-SubmissionRefreshesOnce';
import { PatientStatusFromAllIntakes1763800000600 } from './1763800000600-PatientStatusFromAllIntakes';
import { HandoutReviewState1763800000700 } from './1763800000700-HandoutReviewState';
import { IntakeLastStep1763800000800 } from './1763800000800-IntakeLastStep';
import { ClinicTimeZone1763800000900 } from './1763800000900-ClinicTimeZone';
import { PeriodicJobs1763800001000 } from './1763800001000-PeriodicJobs';
import { HandoutsMadeAhead1763800001100 } from './1763800001100-HandoutsMadeAhead';
import { LeastPrivilege1763800001300 } from './1763800001300-LeastPrivilege';
import { AuditEventsPatient1763800001400 } from './1763800001400-AuditEventsPatient';
import { SignInThrottles1763800001500 } from './1763800001500-SignInThrottles';
import { SecondFactor1763800001510 } from './1763800001510-SecondFactor';
import { PatientContactsArchive1763800001600 } from './1763800001600-PatientContactsArchive';
import { ConsentTexts1763800001700 } from './1763800001700-ConsentTexts';
import { AuditActions1763800001800 } from './1763800001800-AuditActions';
import { InvitationEmails1763800002000 } from './1763800002000-InvitationEmails';
import { Reminders1763800002100 } from './1763800002100-Reminders';
import { ApiKeys1763800002200 } from './1763800002200-ApiKeys';
import { Webhooks1763800002300 } from './1763800002300-Webhooks';

/** Every migration, oldest first. A test checks that each file here is listed. */
export const MIGRATIONS: (new () => unknown)[] = [
  InitialSchema1763700000000,
  PatientSummary1763800000100,
  StaffInvitations1763800000200,
  LinkAttemptIndex1763800000300,
  PatientSummaryPlans1763800000400,
  SubmissionRefreshesOnce1763800000500,
  PatientStatusFromAllIntakes1763800000600,
  HandoutReviewState1763800000700,
  IntakeLastStep1763800000800,
  ClinicTimeZone1763800000900,
  PeriodicJobs1763800001000,
  HandoutsMadeAhead1763800001100,
  LeastPrivilege1763800001300,
  AuditEventsPatient1763800001400,
  SignInThrottles1763800001500,
  SecondFactor1763800001510,
  PatientContactsArchive1763800001600,
  ConsentTexts1763800001700,
  AuditActions1763800001800,
  InvitationEmails1763800002000,
  Reminders1763800002100,
  ApiKeys1763800002200,
  Webhooks1763800002300,
];
