/**
 * The privacy notice a clinic starts with, until an admin writes its own on
 * the Clinic settings page. Plain words, and only what the product does:
 * no legal claims it cannot back.
 */
export const DEFAULT_CONSENT_TEXT = `Before you start, please read what happens with your answers.

What we ask and keep: your answers to this questionnaire about your diet, exercise, sleep and stress, and when you gave them. Your clinic already has your name and knows which protocol you are on. Questions marked optional can be left blank.

Who sees your answers: the staff of your clinic. Other patients and other clinics never see them.

What they are used for: a conversation with your clinician about your lifestyle, next to the protocol your clinician runs with you. Your answers are never used to decide or change any medicine, and this service never gives advice about medicines.

How long they are kept: for as long as your clinic keeps its patient records. Your clinic decides this; ask them if you would like to know.

Changing your mind, or questions: you can stop at any time by closing this page. If you want to withdraw your consent, or have a question about your answers, please contact your clinic.`;
