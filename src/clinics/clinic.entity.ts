import { Check, Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('clinics')
@Check('clinics_name_not_blank', `length(btrim(name)) > 0`)
export class ClinicEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'clinics_pkey' })
  id!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
