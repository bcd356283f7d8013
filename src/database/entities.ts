import { ApiKeyEntity } from '../api-keys/api-key.entity';
import { AssessmentEntity } from '../assessments/assessment.entity';
import { PointReviewEntity } from '../assessments/point-review.entity';
import { AuditEventEntity } from '../audit/audit-event.entity';
import { RecoveryCodeEntity } from '../auth/recovery-code.entity';
import { SessionEntity } from '../auth/session.entity';
import { ClinicEntity } from '../clinics/clinic.entity';
import { ConsentTextEntity } from '../consent/consent-text.entity';
import { HandoutEntity } from '../handouts/handout.entity';
import { IntakeEntity } from '../intakes/intake.entity';
import { EmailLinkEntity } from '../invitations/email-link.entity';
import { InvitationEntity } from '../invitations/invitation.entity';
import { DeliveryEntity } from '../mail/delivery.entity';
import { PatientEntity } from '../patients/patient.entity';
import { UserEntity } from '../users/user.entity';
import { WebhookDeliveryEntity } from '../webhooks/webhook-delivery.entity';
import { WebhookEndpointEntity } from '../webhooks/webhook-endpoint.entity';

/** Every table of the product. Migrations must match these (a test checks). */
export const ENTITIES = [
  ClinicEntity,
  UserEntity,
  PatientEntity,
  InvitationEntity,
  IntakeEntity,
  AssessmentEntity,
  PointReviewEntity,
  HandoutEntity,
  AuditEventEntity,
  SessionEntity,
  RecoveryCodeEntity,
  ConsentTextEntity,
  DeliveryEntity,
  EmailLinkEntity,
  ApiKeyEntity,
  WebhookEndpointEntity,
  WebhookDeliveryEntity,
];
