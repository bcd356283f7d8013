/*
 * Examples for the API's documentation (src/common/api-endpoint.ts): one
 * made-up patient through every operation, so the examples agree with each
 * other. Nothing here is read by the running service otherwise.
 */
const PATIENT = '6f1d2c7a-3b4e-4f5a-9c8d-1e2f3a4b5c6d';
const INVITATION = '2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6e';
const INTAKE = '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b';
const ASSESSMENT = '4c5d6e7f-8a9b-4c0d-9e1f-2a3b4c5d6e7f';
const USER = '7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e';

export const PATIENT_EXAMPLE = {
  id: PATIENT,
  givenName: 'Ada',
  familyName: 'Example',
  reference: 'MRN-1042',
  createdAt: '2026-12-01T09:00:00.000Z',
  protocol: 'trt',
  intakeStatus: 'submitted',
  flaggedPillars: ['sleep'],
  thinPillars: [],
  lastActivityAt: '2026-12-03T18:20:00.000Z',
  archivedAt: null,
};

export const PATIENT_DETAIL_EXAMPLE = {
  ...PATIENT_EXAMPLE,
  email: 'ada@example.org',
  phone: '+44 20 7946 0000',
};

export const PATIENT_PAGE_EXAMPLE = { patients: [PATIENT_EXAMPLE], next: null };

export const PATIENT_CREATE_EXAMPLE = {
  givenName: 'Ada',
  familyName: 'Example',
  reference: 'MRN-1042',
  email: 'ada@example.org',
};

export const PATIENT_UPDATE_EXAMPLE = { email: 'ada.example@example.org', phone: null };

export const INVITATION_EXAMPLE = {
  id: INVITATION,
  patientId: PATIENT,
  protocol: 'trt',
  protocolLabel: 'Testosterone replacement (TRT)',
  state: 'active',
  expiresAt: '2026-12-15T09:00:00.000Z',
  createdAt: '2026-12-01T09:00:00.000Z',
  firstUsedAt: null,
  submittedAt: null,
  email: {
    status: 'sent',
    at: '2026-12-01T09:00:02.000Z',
    attempts: 1,
    problem: null,
    nextAttemptAt: null,
    stoppedBecause: null,
  },
  reminders: [
    {
      number: 1,
      dueAt: '2026-12-04T09:00:00.000Z',
      status: 'pending',
      at: '2026-12-01T09:00:00.000Z',
      attempts: 0,
      problem: null,
      nextAttemptAt: '2026-12-04T09:00:00.000Z',
      stoppedBecause: null,
    },
  ],
  remindersStoppedAt: null,
};

export const INVITATION_LINK_EXAMPLE = {
  ...INVITATION_EXAMPLE,
  link: 'https://intake.clinic.example/i/q3Jx9vYt2LmN8pR4sT6uW1xZ0aB5cD7eF9gH2iJ4kL6',
};

export const INVITATION_CREATE_EXAMPLE = { protocol: 'trt', send: 'email' };

export const INTAKE_SUMMARY_EXAMPLE = {
  id: INTAKE,
  patientId: PATIENT,
  invitationId: INVITATION,
  protocol: 'trt',
  status: 'submitted',
  questionnaireVersion: '2026-12.1',
  createdAt: '2026-12-02T19:10:00.000Z',
  submittedAt: '2026-12-02T19:31:00.000Z',
  reviewedAt: null,
};

export const INTAKE_RECORD_EXAMPLE = {
  ...INTAKE_SUMMARY_EXAMPLE,
  answers: {
    hoursAsleep: 5.5,
    screensLastHour: 'most_nights',
    auditFrequency: 4,
    auditTypicalDrinks: 2,
    auditSixOrMore: 3,
  },
  scores: { auditC: { total: 9 } },
  consentVersion: 1,
  consentedAt: '2026-12-02T19:10:30.000Z',
};

export const POINT_MARK_EXAMPLE = {
  pointId: 'sleep.short',
  mark: 'discussed',
  reason: null,
  note: 'Agreed to try a fixed wake time.',
  updatedBy: USER,
  updatedAt: '2026-12-04T10:15:00.000Z',
};

export const POINT_MARK_BODY_EXAMPLE = {
  mark: 'discussed',
  note: 'Agreed to try a fixed wake time.',
};

export const ASSESSMENT_EXAMPLE = {
  id: ASSESSMENT,
  intakeId: INTAKE,
  rulesetVersion: '2026-12.1',
  flaggedPillars: ['sleep'],
  createdAt: '2026-12-02T19:31:01.000Z',
  // Shortened: one point, and none of the other pillars.
  results: {
    rulesetVersion: '2026-12.1',
    questionnaireVersion: '2026-12.1',
    protocol: 'trt',
    points: [
      {
        ruleId: 'sleep.short',
        pillar: 'sleep',
        kind: 'concern',
        indicator: 'warning',
        priority: 2,
        summary: 'Sleeps under 6 hours on a usual night',
        detail: 'Short sleep is linked with lower hormone release overnight and with stress.',
        patientText: 'You sleep less than 6 hours on a usual night.',
        sources: [
          {
            row: 'lifestyle-guidance:stress-and-sleep:sleep-optimization',
            article: 'lifestyle-guidance',
            articleTitle: 'Lifestyle guidance alongside hormone therapy',
            table: 'stress-and-sleep',
            tableTitle: 'Stress and sleep',
            rowLabel: 'Sleep optimization',
            evidence: 'clinical-education article',
          },
        ],
        why: [
          {
            kind: 'answer',
            ref: 'sleep.hoursAsleep',
            label: 'Hours asleep on a usual night',
            value: '5.5',
            test: 'is below 6',
          },
        ],
      },
    ],
    rowsMatched: { 'lifestyle-guidance:stress-and-sleep': ['sleep-optimization'] },
    flaggedPillars: ['sleep'],
    thinPillars: [],
  },
  marks: [POINT_MARK_EXAMPLE],
};

export const REVIEW_COMPLETION_EXAMPLE = { completed: true, marked: 3, points: 4 };
