// PLACEHOLDER until the vocabulary lands (helper B replaces this file).
export type DevStatus = 'occurrence' | 'prospect' | 'past-producer' | 'producer' | 'plant';
