// PLACEHOLDER until the vocabulary lands (helper B replaces this file).
export type SurveyMethod = 'geological-mapping' | 'geochemistry' | 'geophysics' | 'drilling' | 'remote-sensing';
export type SurveyStatus = 'planned' | 'active' | 'completed' | 'suspended';
