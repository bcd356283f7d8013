/**
 * The privacy notice a clinic starts with, until an admin writes its own on
 * the Clinic settings page. Plain words, and only what the product does:
 * no legal claims it cannot back.
 */
export const DEFAULT_CONSENT_TEXT = `Before you start, please read what happens with your answers.

What we ask and keep: your answers to this questionnaire (a few facts about you such as your sex at birth, age band, height and weight; and your diet, drinking, exercise, sleep, breathing at night, shift work and stress), and when you gave them. Your clinic already has your name and knows which protocol you are on. Questions marked optional can be left blank. Each answer is saved as you give it, so you can stop and come back with the same link.

What happens with them: the service scores your answers and turns them into topics for a conversation about your lifestyle with your clinician, next to the protocol your clinician runs with you. This service does not give advice about medicines; questions about your treatment are for your clinician.

Who sees your answers: the staff of your clinic, and the people who run this service for your clinic where that is needed to keep it working. Other patients and other clinics never see them. When you open your link, the time and your internet address are recorded to keep it secure.

How long they are kept: for as long as your clinic keeps its patient records. Your clinic decides this; ask them if you would like to know.

Changing your mind, or questions: you can stop at any time by closing this page. If you want to withdraw your consent, have answers you already gave removed, or have a question about your answers, please contact your clinic.`;
