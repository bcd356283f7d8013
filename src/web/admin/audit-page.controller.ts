import { Controller, Get, Query } from '@nestjs/common';
import { CliniciansService } from '../../admin/clinicians.service';
import { Meta, RequestMeta, Roles, Scope, Time } from '../../auth/actor';
import { ClinicTime } from '../../common/clinic-time';
import { Clock } from '../../common/clock';
import { AuditEventListQueryDto, AuditEventPage } from '../../audit/audit-event.dto';
import { AUDIT_ACTIONS, AUDIT_ACTION_NAMES } from '../../audit/audit-actions';
import { AUDIT_OUTCOMES } from '../../audit/audit-event.entity';
import { AuditService } from '../../audit/audit.service';
import { ClinicScope } from '../../common/clinic-scope';
import { validateForm } from '../../common/form-validation';
import { FormRefused, Page, PageModel, View } from '../page';

const PAGE_SIZE = 50;
const FILTERS = ['action', 'actorId', 'outcome', 'targetId', 'patientId', 'from', 'to'] as const;
/** The default range of the export form: the last 30 days. */
const EXPORT_DAYS = 30;
const OUTCOME_LABELS = { success: 'Success', failure: 'Failure', denied: 'Denied' } as const;

/**
 * The admin's view of the clinic's audit log: filters and keyset paging in
 * the query string. Filters that cannot be read are shown again as typed.
 */
@Roles('admin')
@Controller('admin/audit')
export class AuditPageController {
  constructor(
    private readonly audit: AuditService,
    private readonly clinicians: CliniciansService,
    private readonly clock: Clock,
  ) {}

  @Get()
  @Page('admin/audit')
  async show(
    @Scope() scope: ClinicScope,
    @Query() query: Record<string, unknown>,
    @Meta() meta: RequestMeta,
    @Time() time: ClinicTime,
  ): Promise<PageModel> {
    const { value, problems } = validateForm(AuditEventListQueryDto, query);
    const names = new Map(
      (await this.clinicians.names(scope)).map((user) => [user.id, user.displayName]),
    );
    // Valid filters as understood (trimmed); refused ones exactly as typed.
    const typed = textOf(problems.length === 0 ? value : query);
    const model = {
      title: 'Audit log',
      filters: typed,
      actions: AUDIT_ACTION_NAMES.map((action) => ({
        value: action,
        label: `${AUDIT_ACTIONS[action]} (${action})`,
        selected: action === typed.action,
      })),
      actors: [...names].map(([id, displayName]) => ({
        id,
        displayName,
        selected: id === typed.actorId,
      })),
      outcomes: AUDIT_OUTCOMES.map((outcome) => ({
        value: outcome,
        label: OUTCOME_LABELS[outcome],
        selected: outcome === typed.outcome,
      })),
      exportFrom: time.day(new Date(this.clock.now().getTime() - (EXPORT_DAYS - 1) * 86_400_000)),
      exportTo: time.day(this.clock.now()),
    };
    if (problems.length > 0) throw new FormRefused(new View('admin/audit', model), problems, query);
    const page = await this.audit.listForClinic(scope, value, meta, time, PAGE_SIZE);
    return { ...model, ...this.results(page, value, time) };
  }

  private results(
    page: AuditEventPage,
    query: AuditEventListQueryDto,
    time: ClinicTime,
  ): Record<string, unknown> {
    const events = page.events.map((event) => ({
      ...event,
      when: time.second(event.occurredAt),
      outcomeLabel: OUTCOME_LABELS[event.outcome],
      // The patient's own page when they are this clinic's; their events here otherwise.
      patientHref: event.patientName ? `/patients/${event.patientId}` : undefined,
      patientEventsHref: event.patientId ? `/admin/audit?patientId=${event.patientId}` : undefined,
    }));
    return {
      listed: true,
      events,
      paged: Boolean(query.before),
      newestHref: hrefFor(query, undefined),
      olderHref: page.olderBefore ? hrefFor(query, page.olderBefore) : undefined,
    };
  }
}

/** The same filters, from the newest event (no `before`) or older than an event id. */
function hrefFor(query: AuditEventListQueryDto, before: string | undefined): string {
  const params = new URLSearchParams();
  for (const key of FILTERS) {
    const value = query[key];
    if (value) params.set(key, value);
  }
  if (query.limit) params.set('limit', String(query.limit));
  if (before) params.set('before', before);
  const search = params.toString();
  return `/admin/audit${search ? `?${search}` : ''}`;
}

/** The filter form's values: text for each field, empty when absent or not text. */
function textOf(source: object): Record<(typeof FILTERS)[number] | 'limit', string> {
  const fields = source as Record<string, unknown>;
  const text = (key: string): string => {
    const value = fields[key];
    return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
  };
  return {
    action: text('action'),
    actorId: text('actorId'),
    outcome: text('outcome'),
    targetId: text('targetId'),
    patientId: text('patientId'),
    from: text('from'),
    to: text('to'),
    limit: text('limit'),
  };
}
