import { plainToInstance } from 'class-transformer';
import { IsInt, IsString, validateSync } from 'class-validator';
import { describe, expect, it } from 'vitest';
import { rememberValidationMetadata } from './validation-metadata.js';

class Amount {
  @IsInt()
  amount!: number;
}

const failures = (type: new () => object, plain: object) =>
  validateSync(plainToInstance(type, plain), { whitelist: true, forbidNonWhitelisted: true }).map((error) => [error.property, Object.keys(error.constraints ?? {})]);

describe('rememberValidationMetadata', () => {
  it('validates as class-validator does, also for decorators registered after the first validation', () => {
    rememberValidationMetadata();
    expect(failures(Amount, { amount: 'ten' })).toEqual([['amount', ['isInt']]]);
    expect(failures(Amount, { amount: 10 })).toEqual([]);
    // Remembered now: a later decorator (a class loaded after start) must still count.
    IsString()(Amount.prototype, 'currency');
    expect(failures(Amount, { amount: 10, currency: 3 })).toEqual([['currency', ['isString']]]);
    expect(failures(Amount, { amount: 10, currency: 'EUR', extra: true })).toEqual([['extra', ['whitelistValidation']]]);
  });

  it('tells subclasses apart from their parent', () => {
    class Refund extends Amount {
      @IsString()
      reason!: string;
    }
    expect(failures(Refund, { amount: 1.5, currency: 'EUR', reason: 7 })).toEqual([
      ['reason', ['isString']],
      ['amount', ['isInt']],
    ]);
    expect(failures(Amount, { amount: 1, currency: 'EUR', reason: 'x' })).toEqual([['reason', ['whitelistValidation']]]);
  });
});
