import { Type } from 'class-transformer';
import { IsInt, Max, MaxLength, ValidateNested } from 'class-validator';
import { validateForm } from './form-validation';

class SleepDto {
  @IsInt() @Max(24) hours!: number;
}
class SectionsDto {
  @ValidateNested() @Type(() => SleepDto) sleep!: SleepDto;
}
class IntakeDto {
  @MaxLength(5) note!: string;
  @ValidateNested() @Type(() => SectionsDto) sections!: SectionsDto;
}

describe('validateForm and fieldProblems', () => {
  it('names nested fields by their dotted path and refuses unknown fields by name', () => {
    const { problems } = validateForm(IntakeDto, {
      note: 'too long',
      sections: { sleep: { hours: 30, extra: 1 } },
      surprise: true,
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        { field: 'note', message: expect.stringContaining('note') },
        { field: 'sections.sleep.hours', message: expect.stringContaining('24') },
        { field: 'sections.sleep.extra', message: 'sections.sleep.extra is not an accepted field' },
        { field: 'surprise', message: 'surprise is not an accepted field' },
      ]),
    );
    expect(problems).toHaveLength(4);
  });

  it('finds nothing wrong with a valid body', () => {
    expect(
      validateForm(IntakeDto, { note: 'ok', sections: { sleep: { hours: 7 } } }).problems,
    ).toEqual([]);
  });
});
