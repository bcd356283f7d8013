import { validateForm } from '../common/form-validation';
import { WebhookEndpointDto, WebhookEventsDto } from './webhook.dto';

describe('the webhook forms', () => {
  it('read the event boxes whether none, one or several were ticked', () => {
    expect(validateForm(WebhookEventsDto, { events: 'handout.ready' })).toEqual({
      value: expect.objectContaining({ events: ['handout.ready'] }) as unknown,
      problems: [],
    });
    expect(
      validateForm(WebhookEventsDto, { events: ['intake.submitted', 'review.completed'] }).value
        .events,
    ).toEqual(['intake.submitted', 'review.completed']);
    expect(validateForm(WebhookEventsDto, {}).problems).toEqual([
      { field: 'events', message: 'Choose at least one event to send.' },
    ]);
  });

  it('refuse an event that is not on the list, and an address that is not text', () => {
    expect(validateForm(WebhookEventsDto, { events: ['intake.submitted', 'x'] }).problems).toEqual([
      { field: 'events', message: 'Choose events from the list.' },
    ]);
    expect(
      validateForm(WebhookEndpointDto, { url: ['a', 'b'], events: 'intake.submitted' }).problems,
    ).toEqual([
      { field: 'url', message: 'Give the address of the endpoint, starting with https://.' },
    ]);
  });
});
